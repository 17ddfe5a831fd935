using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Import-Module loads the dll without its deps.json, so .NET does not look under runtimes/ for native
/// libraries: libsodium (NSec), libe_sqlite3 (the content index), libSkiaSharp and libHarfBuzzSharp (ScottPlot's renderer). After the
/// runtime's own probing fails, this finds them there, or beside the dll, for the current platform.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static readonly string[] Libraries = { "libsodium", "libSkiaSharp", "libHarfBuzzSharp", "libe_sqlite3" };
    private static int _registered;

    public void OnImport() => RegisterNativeResolver();

    public static void RegisterNativeResolver()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        var context = AssemblyLoadContext.GetLoadContext(typeof(ModuleInitializer).Assembly) ?? AssemblyLoadContext.Default;
        context.ResolvingUnmanagedDll += (_, name) => Resolve(name);
        if (context != AssemblyLoadContext.Default) AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) => Resolve(name);
    }

    private static IntPtr Resolve(string requested)
    {
        var library = Libraries.FirstOrDefault(l => requested.Contains(l[3..], StringComparison.OrdinalIgnoreCase));
        if (library is null) return IntPtr.Zero;
        var folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory;
        var file = library + (OperatingSystem.IsWindows() ? ".dll" : OperatingSystem.IsMacOS() ? ".dylib" : ".so");
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : IsMusl() ? "linux-musl" : "linux";
        foreach (var candidate in new[]
                 {
                     Path.Combine(folder, file),
                     Path.Combine(folder, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", file),
                     Path.Combine(folder, "runtimes", $"{os}-{arch}", "native", file),
                     Path.Combine(folder, "runtimes", os, "native", file),
                 })
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        return IntPtr.Zero;
    }

    private static bool IsMusl() => File.Exists("/lib/ld-musl-x86_64.so.1") || File.Exists("/lib/ld-musl-aarch64.so.1");
}
