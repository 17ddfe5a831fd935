namespace Dreamwell;

/// <summary>
/// Where Dreamwell keeps its state. DREAMWELL_HOME overrides the default ~/.dreamwell, so tests and
/// several nodes on one machine each get their own home.
/// </summary>
public sealed class DreamHome
{
    public const string HomeVariable = "DREAMWELL_HOME";
    public const string NameVariable = "DREAMWELL_NAME";
    public const string ModeVariable = "DREAMWELL_MODE";

    public DreamHome(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }
    public string IdentityFile => System.IO.Path.Combine(Path, "identity.fibo");
    public string ChainFile => System.IO.Path.Combine(Path, "seal.chain");
    public string ChainHeadFile => System.IO.Path.Combine(Path, "seal.head");
    public string ChainLockFile => System.IO.Path.Combine(Path, "seal.lock");

    public static DreamHome FromEnvironment()
    {
        var configured = Environment.GetEnvironmentVariable(HomeVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return new DreamHome(configured);
        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(profile))
            throw new DreamException("NoHomeFolder", DreamErrorKind.ResourceUnavailable, $"No user profile folder; set {HomeVariable}.");
        return new DreamHome(System.IO.Path.Combine(profile, ".dreamwell"));
    }

    /// <summary>Creates the home folder, private to its owner (0700) on Unix.</summary>
    public void Ensure()
    {
        if (Directory.Exists(Path)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(Path);
        else Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public static string? DefaultName => Environment.GetEnvironmentVariable(NameVariable) is { Length: > 0 } n ? n : null;
    public static string? DefaultMode => Environment.GetEnvironmentVariable(ModeVariable) is { Length: > 0 } m ? m : null;
}
