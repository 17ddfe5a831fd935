using Dreamwell.Sync;

namespace Dreamwell.Projects;

/// <summary>Test-DreamProject's engine: checks a project folder against its tapestry.</summary>
public static class ProjectCheck
{
    /// <summary>Checks a project folder; bad data is a verdict, only a folder that is not a project throws.</summary>
    public static ProjectVerdict Test(string projectFolder, CancellationToken cancellationToken = default)
    {
        var folder = System.IO.Path.GetFullPath(projectFolder);
        if (!Directory.Exists(folder))
            throw new DreamException(ProjectErrors.NotFound, DreamErrorKind.NotFound, $"'{folder}' is not a folder.");
        byte[] bytes;
        try
        {
            bytes = TapestryReader.ReadBounded(System.IO.Path.Combine(folder, Tapestry.FileName));
        }
        catch (DreamFormatException e)
        {
            return new ProjectVerdict(folder, null, false, [e.Message], []);
        }
        var (tapestry, problems) = TapestryReader.Check(bytes);
        if (tapestry is null) return new ProjectVerdict(folder, null, false, problems.Select(p => $"{Tapestry.FileName} {p}").ToList(), []);

        var found = new List<string>();
        var changed = new List<string>();
        RequireFolder(folder, tapestry.Signal.Path, "$.signal.path", found);
        for (var i = 0; i < tapestry.Portals.Count; i++)
            RequireFolder(folder, tapestry.Portals[i].Path, $"$.portals[{i}].path", found);
        for (var i = 0; i < tapestry.Entries.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = tapestry.Entries[i];
            var full = Locate(folder, entry.Path, $"$.entries[{i}].path", found);
            if (full is null) continue;
            if (!File.Exists(full)) { found.Add($"{Tapestry.FileName} $.entries[{i}].path: '{entry.Path}' is not a file in the project"); continue; }
            if (entry.Blake3 is not null && Blake3Hash.ToHex(Blake3Hash.ComputeFile(full, cancellationToken)) != entry.Blake3) changed.Add(entry.Path);
        }
        return new ProjectVerdict(folder, tapestry.Name, found.Count == 0, found, changed);
    }

    private static void RequireFolder(string folder, string relative, string where, List<string> problems)
    {
        if (Locate(folder, relative, where, problems) is { } full && !Directory.Exists(full))
            problems.Add($"{Tapestry.FileName} {where}: '{relative}' is not a folder in the project");
    }

    /// <summary>The file-system location of a tapestry path, or null (and a problem) when it leaves the project through a link.</summary>
    private static string? Locate(string folder, string relative, string where, List<string> problems)
    {
        try
        {
            return SyncPath.Resolve(folder, relative);
        }
        catch (DreamException e) when (e.ErrorId == SyncErrors.UnsafePath)
        {
            problems.Add($"{Tapestry.FileName} {where}: {e.Message}");
            return null;
        }
    }
}
