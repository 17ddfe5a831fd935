using System.Text;

namespace Dreamwell.Projects;

/// <summary>
/// Creates a project folder: signal/index.html, tapestry.json and state/. It refuses a non-empty folder unless
/// forced, and even then never replaces or deletes a file: scaffold files already there are kept as they are and
/// reported, so running it again over a project only fills in what is missing.
/// </summary>
public static class ProjectScaffold
{
    public const string HelloUniverseName = "hello-universe";
    public const string SignalFolder = "signal";
    public const string StateFolder = "state";

    public static DreamProject Create(string parentFolder, string name, string ownerQuantumId, ProjectTemplate template, bool force,
        DateTimeOffset created, IProgress<DreamProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ProjectName.Validate(name);
        if (!TapestryReader.IsQuantumId(ownerQuantumId))
            throw new DreamException(ProjectErrors.InvalidOwner, DreamErrorKind.InvalidArgument, $"'{ownerQuantumId}' is not a QuantumId (16 lowercase hex digits).");
        created = DateTimeOffset.FromUnixTimeSeconds(created.ToUnixTimeSeconds());
        var folder = Path.GetFullPath(Path.Combine(parentFolder, name));
        Preflight(folder, force);

        // A tapestry already there (-Force over an existing project) is the project's word: keep it, use its signal folder.
        var existing = File.Exists(Path.Combine(folder, Tapestry.FileName)) ? TapestryReader.Read(folder) : null;
        var signalPath = existing?.Signal.Path ?? SignalFolder;
        var signalName = existing?.Signal.Name ?? name;
        foreach (var blocked in new[] { signalPath, StateFolder })
        {
            if (File.Exists(Path.Combine(folder, blocked)))
                throw new DreamException(ProjectErrors.PathBlocked, DreamErrorKind.AlreadyExists,
                    $"'{Path.Combine(folder, blocked)}' is a file where the project needs a folder; move it away first.");
        }

        var written = new List<string>();
        var kept = new List<string>();
        Directory.CreateDirectory(folder);
        if (Directory.Exists(Path.Combine(folder, StateFolder))) kept.Add(StateFolder + "/");
        else
        {
            Directory.CreateDirectory(Path.Combine(folder, StateFolder));
            written.Add(StateFolder + "/");
        }

        var page = $"{signalPath}/index.html";
        var entries = new List<TapestryEntry>();
        progress?.Report(new DreamProgress("New-DreamProject", $"Writing {name}", 0, 1));
        if (template == ProjectTemplate.HelloUniverse)
        {
            var hello = $"{signalPath}/hello.txt";
            var universe = $"{signalPath}/universe.json";
            Write(folder, hello, ProjectTemplates.HelloText(ownerQuantumId, created), written, kept);
            Write(folder, universe, ProjectTemplates.UniverseJson(name, ownerQuantumId, created), written, kept);
            cancellationToken.ThrowIfCancellationRequested();
            var listed = new List<ProjectTemplates.ListedFile>
            {
                new(page, "This page", null, null),
                Listed(folder, hello, "A greeting, as text"),
                Listed(folder, universe, "The same greeting, as data"),
                new(Tapestry.FileName, "The project's map (docs/tapestry.md)", null, null),
                new(StateFolder + "/", "Local state, never broadcast", null, null),
            };
            Write(folder, page, ProjectTemplates.HelloUniversePage(name, ownerQuantumId, created, listed), written, kept);
            entries.Add(Entry(folder, page, "page", "Hello, universe"));
            entries.Add(Entry(folder, hello, "text", "A greeting"));
            entries.Add(Entry(folder, universe, "data", "The greeting as data"));
        }
        else
        {
            Write(folder, page, ProjectTemplates.BlankPage(name, ownerQuantumId, created), written, kept);
            entries.Add(Entry(folder, page, "page", name));
        }
        cancellationToken.ThrowIfCancellationRequested();

        var tapestry = existing ?? new Tapestry(name, ownerQuantumId, created, new TapestrySignal(signalName, signalPath), [], entries,
            template == ProjectTemplate.HelloUniverse ? "A demo project made by New-DreamProject -HelloUniverse." : null);
        if (existing is null) WriteNew(folder, Tapestry.FileName, tapestry.ToJson(), written, kept);
        else kept.Add(Tapestry.FileName);
        progress?.Report(new DreamProgress("New-DreamProject", $"Wrote {name}", 1, 1));

        return new DreamProject(tapestry.Name, folder, tapestry.Owner, tapestry.Created, template.ToString(),
            Path.Combine(folder, signalPath.Replace('/', Path.DirectorySeparatorChar)), written, kept);
    }

    private static void Preflight(string folder, bool force)
    {
        if (File.Exists(folder))
            throw new DreamException(ProjectErrors.PathBlocked, DreamErrorKind.AlreadyExists, $"'{folder}' is a file; a project needs a folder.");
        if (!force && Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new DreamException(ProjectErrors.Exists, DreamErrorKind.AlreadyExists,
                $"'{folder}' exists and is not empty; use -Force to add the scaffold's missing files (existing files are kept, nothing is deleted).");
    }

    private static void Write(string folder, string relative, string text, List<string> written, List<string> kept) =>
        WriteNew(folder, relative, Encoding.UTF8.GetBytes(text), written, kept);

    private static void WriteNew(string folder, string relative, byte[] bytes, List<string> written, List<string> kept)
    {
        var full = Sync.SyncPath.Resolve(folder, relative);
        if (File.Exists(full) || Directory.Exists(full))
        {
            kept.Add(relative);
            return;
        }
        AtomicFile.WriteAllBytes(full, bytes, overwrite: false);
        written.Add(relative);
    }

    private static ProjectTemplates.ListedFile Listed(string folder, string relative, string about)
    {
        var full = Sync.SyncPath.Resolve(folder, relative);
        return File.Exists(full)
            ? new(relative, about, new FileInfo(full).Length, Blake3Hash.ToHex(Blake3Hash.ComputeFile(full)))
            : new(relative, about, null, null);
    }

    /// <summary>An entry with the hash of the file as it is on disk now (the scaffold's or one that was kept).</summary>
    private static TapestryEntry Entry(string folder, string relative, string kind, string title)
    {
        var full = Sync.SyncPath.Resolve(folder, relative);
        return new TapestryEntry(relative, kind, title, File.Exists(full) ? Blake3Hash.ToHex(Blake3Hash.ComputeFile(full)) : null);
    }
}
