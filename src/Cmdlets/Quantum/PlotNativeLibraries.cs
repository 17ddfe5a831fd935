using System.Reflection;
using System.Runtime.InteropServices;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Import-Module loads the dll without its deps.json, so .NET does not look under runtimes/ for
/// SkiaSharp's and HarfBuzzSharp's native libraries (ScottPlot renders through them). This resolver finds
/// them there, or beside the dll. The lead may fold it into ModuleInitializer next to libsodium's.
/// </summary>
internal static class PlotNativeLibraries
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        TrySet(typeof(SkiaSharp.SKImage).Assembly, "libSkiaSharp");
        TrySet(typeof(HarfBuzzSharp.Buffer).Assembly, "libHarfBuzzSharp");
    }

    private static void TrySet(Assembly assembly, string library)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => name.Contains(library, StringComparison.OrdinalIgnoreCase) ? Resolve(library) : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // A host already set a resolver for this assembly; it knows where the library is.
        }
    }

    private static IntPtr Resolve(string library)
    {
        var folder = Path.GetDirectoryName(typeof(PlotNativeLibraries).Assembly.Location) ?? AppContext.BaseDirectory;
        var file = OperatingSystem.IsWindows() ? library + ".dll" : OperatingSystem.IsMacOS() ? library + ".dylib" : library + ".so";
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        foreach (var candidate in new[]
                 {
                     Path.Combine(folder, file),
                     Path.Combine(folder, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", file),
                     Path.Combine(folder, "runtimes", $"{os}-{arch}", "native", file),
                 })
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        return IntPtr.Zero; // fall back to the default probing (deps.json in test hosts and apps)
    }
}
