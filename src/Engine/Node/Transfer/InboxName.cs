using System.Text;

namespace Dreamwell.Node;

/// <summary>
/// The file name a sent file is filed under in $DREAMWELL_HOME/inbox: one plain leaf name. Anything that could leave
/// the inbox or hide in it (separators, "..", a leading dot, control characters, a drive colon) is refused, and an
/// existing file is never overwritten: "report.pdf" becomes "report (1).pdf".
/// </summary>
public static class InboxName
{
    public const string FolderName = "inbox";
    public const string PartialFolderName = ".partial";
    public const int MaxBytes = 255;
    private const int MaxSuffix = 9999;

    public static string Folder(DreamHome home) => Path.Combine(home.Path, FolderName);

    public static string PartialFolder(DreamHome home) => Path.Combine(home.Path, FolderName, PartialFolderName);

    /// <summary>The name, or why it cannot be filed (null when it is fine).</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "it is empty";
        if (Encoding.UTF8.GetByteCount(name) > MaxBytes) return $"it is longer than {MaxBytes} bytes";
        if (name is "." or "..") return "it is a relative folder reference";
        if (name.Contains('/') || name.Contains('\\')) return "it contains a path separator (a sent file is one plain name; path traversal is refused)";
        if (name.StartsWith('.')) return "it starts with '.'";
        if (name.EndsWith(' ') || name.EndsWith('.')) return "it ends with a space or a dot";
        foreach (var c in name)
        {
            if (char.IsControl(c)) return "it contains a control character";
            if (c is ':' or '*' or '?' or '"' or '<' or '>' or '|') return $"it contains '{c}'";
        }
        return null;
    }

    /// <summary>Moves a finished file into the inbox under <paramref name="name"/> or the first free "name (n).ext"; returns the path.</summary>
    internal static string MoveIn(DreamHome home, string source, string name)
    {
        var folder = Folder(home);
        Directory.CreateDirectory(folder);
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        for (var n = 0; n <= MaxSuffix; n++)
        {
            var candidate = Path.Combine(folder, n == 0 ? name : $"{stem} ({n}){extension}");
            if (File.Exists(candidate) || Directory.Exists(candidate)) continue;
            try
            {
                File.Move(source, candidate, overwrite: false);
                AtomicFile.FsyncFolder(folder);
                return candidate;
            }
            catch (IOException) when (File.Exists(candidate))
            {
                // Another file took this name between the check and the move: try the next one.
            }
        }
        throw new DreamException("InboxFull", DreamErrorKind.LimitExceeded, $"The inbox already holds '{name}' and {MaxSuffix} numbered copies of it.");
    }
}
