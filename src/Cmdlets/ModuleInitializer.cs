using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Import-Module loads the dll without its deps.json, so .NET would not look under runtimes/ for
/// NSec's libsodium. This resolver finds it there (or beside the dll) for the current platform.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static int _registered;

    public void OnImport() => RegisterNativeResolver();

    public static void RegisterNativeResolver()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(NSec.Cryptography.Key).Assembly, ResolveSodium);
        }
        catch (InvalidOperationException)
        {
            // A host already set a resolver for NSec; it knows where libsodium is.
        }
    }

    private static IntPtr ResolveSodium(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!name.Contains("sodium", StringComparison.OrdinalIgnoreCase)) return IntPtr.Zero;
        var folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory;
        var file = OperatingSystem.IsWindows() ? "libsodium.dll" : OperatingSystem.IsMacOS() ? "libsodium.dylib" : "libsodium.so";
        var rid = RuntimeInformation.RuntimeIdentifier;
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : IsMusl() ? "linux-musl" : "linux";
        foreach (var candidate in new[]
                 {
                     Path.Combine(folder, file),
                     Path.Combine(folder, "runtimes", rid, "native", file),
                     Path.Combine(folder, "runtimes", $"{os}-{arch}", "native", file),
                 })
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        return IntPtr.Zero;
    }

    private static bool IsMusl() => File.Exists("/lib/ld-musl-x86_64.so.1") || File.Exists("/lib/ld-musl-aarch64.so.1");
}
