namespace Dreamwell.Tests.Support;

/// <summary>
/// Finds the read-only shared/data folder ($DREAMWELL_SHARED/data, $DREAMWELL_SHARED itself, or a shared/data found by
/// walking up from the test binaries, as ../shared sits beside the repo in CI). Tests that need it skip without it.
/// </summary>
public static class SharedData
{
    public static string? Folder { get; } = Locate();

    private static string? Locate()
    {
        if (Environment.GetEnvironmentVariable("DREAMWELL_SHARED") is { Length: > 0 } env)
        {
            foreach (var candidate in new[] { Path.Combine(env, "data"), env })
                if (Directory.Exists(candidate)) return candidate;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static string? FilePath(string name) =>
        Folder is { } folder && File.Exists(Path.Combine(folder, name)) ? Path.Combine(folder, name) : null;
}

/// <summary>A fact that is skipped, with the reason shown, when a shared data file is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string fileName)
    {
        if (SharedData.FilePath(fileName) is null)
            Skip = $"Shared data file '{fileName}' not found (set DREAMWELL_SHARED or place shared/data next to the repo).";
    }
}
