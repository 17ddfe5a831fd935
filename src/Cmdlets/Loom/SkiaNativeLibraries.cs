using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Import-Module loads the module without its deps.json, so .NET does not look in runtimes/&lt;rid&gt;/native for
/// SkiaSharp's and HarfBuzzSharp's native libraries (ScottPlot's renderer). This points their imports there.
/// </summary>
internal static class SkiaNativeLibraries
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        // The event runs after the runtime's own probing failed, whatever resolver the library set for itself.
        var context = AssemblyLoadContext.GetLoadContext(typeof(ScottPlot.Plot).Assembly) ?? AssemblyLoadContext.Default;
        context.ResolvingUnmanagedDll += (_, libraryName) => Resolve(libraryName);
        if (context != AssemblyLoadContext.Default) AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, libraryName) => Resolve(libraryName);
    }

    private static IntPtr Resolve(string libraryName)
    {
        if (!libraryName.Contains("SkiaSharp", StringComparison.Ordinal) && !libraryName.Contains("HarfBuzzSharp", StringComparison.Ordinal)) return IntPtr.Zero;
        if (libraryName.StartsWith("lib", StringComparison.Ordinal)) libraryName = libraryName[3..];
        IntPtr handle;
        var folder = Path.GetDirectoryName(typeof(SkiaNativeLibraries).Assembly.Location) ?? "";
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string file = OperatingSystem.IsWindows() ? $"lib{libraryName}.dll" : OperatingSystem.IsMacOS() ? $"lib{libraryName}.dylib" : $"lib{libraryName}.so";
        foreach (var rid in new[] { $"{os}-{arch}", $"{os}-musl-{arch}", os })
        {
            var candidate = Path.Combine(folder, "runtimes", rid, "native", file);
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out handle)) return handle;
        }
        return IntPtr.Zero;
    }
}
