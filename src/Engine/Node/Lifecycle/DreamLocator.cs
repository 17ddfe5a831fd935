namespace Dreamwell.Node;

/// <summary>
/// Finds the `dream` host that <c>Start-Tesseract -Detached</c> runs, in this order (docs/protocol.md, "Detached nodes"):
/// 1. $DREAMWELL_DREAM (a dream executable or dream.dll); 2. this process, when it is dream; 3. the dream whose
/// Modules/Dreamwell folder this module was loaded from; 4. dream on PATH.
/// </summary>
public static class DreamLocator
{
    public const string EnvironmentVariable = "DREAMWELL_DREAM";
    public const string NotFound = "DreamHostNotFound";

    /// <summary>What to run: the executable and the arguments that come before dream's own (dotnet dream.dll …).</summary>
    public sealed record DreamCommand(string FileName, IReadOnlyList<string> Prefix);

    public static DreamCommand Find()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = Path.GetFullPath(configured.Trim());
            if (!File.Exists(path))
                throw new DreamException(NotFound, DreamErrorKind.NotFound,
                    $"{EnvironmentVariable} is '{configured}', but no file is there. Point it at the dream executable (for example src/Host/bin/Release/net10.0/dream after `dotnet build src/Host -c Release`).");
            return CommandFor(path);
        }
        if (Environment.ProcessPath is { } self && IsDreamName(Path.GetFileName(self))) return new DreamCommand(self, []);
        var moduleFolder = Path.GetDirectoryName(typeof(DreamLocator).Assembly.Location);
        if (!string.IsNullOrEmpty(moduleFolder) && Path.GetFullPath(Path.Combine(moduleFolder, "..", "..")) is var hostFolder
            && Path.GetFileName(Path.GetDirectoryName(moduleFolder)) == "Modules" && InFolder(hostFolder) is { } beside)
            return beside;
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            if (InFolder(folder) is { } onPath) return onPath;
        throw new DreamException(NotFound, DreamErrorKind.NotFound,
            "Start-Tesseract -Detached runs `dream tesseract start`, but no dream host was found: not this process, not beside the module, not on PATH. "
            + $"Set {EnvironmentVariable} to the dream executable (for example src/Host/bin/Release/net10.0/dream after `dotnet build src/Host -c Release`), "
            + "or put its folder on PATH, or import the module that ships inside dream (<dream folder>/Modules/Dreamwell).");
    }

    private static bool IsDreamName(string fileName) => fileName is "dream" or "dream.exe";

    private static DreamCommand? InFolder(string folder)
    {
        foreach (var name in OperatingSystem.IsWindows() ? new[] { "dream.exe" } : ["dream"])
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) return new DreamCommand(path, []);
        }
        return null;
    }

    private static DreamCommand CommandFor(string path)
    {
        if (!path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return new DreamCommand(path, []);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        return new DreamCommand(dotnet, [path]);
    }
}
