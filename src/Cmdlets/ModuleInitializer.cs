using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Import-Module loads the dll without its deps.json, so .NET would not look under runtimes/ for native
/// libraries: libsodium (NSec), libSkiaSharp and libHarfBuzzSharp (ScottPlot's renderer). This resolver
/// finds them there, or beside the dll, for the current platform.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static int _registered;

    public void OnImport() => RegisterNativeResolvers();

    public static void RegisterNativeResolvers()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Register(typeof(NSec.Cryptography.Key).Assembly, "libsodium");
        Register(typeof(SkiaSharp.SKImage).Assembly, "libSkiaSharp");
        Register(typeof(HarfBuzzSharp.Buffer).Assembly, "libHarfBuzzSharp");
    }

    private static void Register(Assembly assembly, string library)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, (name, _, _) =>
                name.Contains(library.Replace("lib", ""), StringComparison.OrdinalIgnoreCase) ? Resolve(library) : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // A host already set a resolver for this assembly; it knows where the library is.
        }
    }

    private static IntPtr Resolve(string library)
    {
        var folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory;
        var file = library + (OperatingSystem.IsWindows() ? ".dll" : OperatingSystem.IsMacOS() ? ".dylib" : ".so");
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : IsMusl() ? "linux-musl" : "linux";
        foreach (var candidate in new[]
                 {
                     Path.Combine(folder, file),
                     Path.Combine(folder, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", file),
                     Path.Combine(folder, "runtimes", $"{os}-{arch}", "native", file),
                 })
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        return IntPtr.Zero; // fall back to default probing (deps.json in test hosts and apps)
    }

    private static bool IsMusl() => File.Exists("/lib/ld-musl-x86_64.so.1") || File.Exists("/lib/ld-musl-aarch64.so.1");
}
