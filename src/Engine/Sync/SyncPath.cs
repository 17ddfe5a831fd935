namespace Dreamwell.Sync;

/// <summary>
/// Relative paths inside a synced folder, as they travel between devices: '/'-separated, NFC as given, no empty,
/// "." or ".." segment, no leading '/', no backslash, drive letter, NUL or control character, at most
/// <see cref="MaxLength"/> bytes. A peer that sends anything else is refused (docs/sync.md, "Paths").
/// </summary>
public static class SyncPath
{
    public const int MaxLength = 4096;
    public const int MaxSegmentBytes = 255;

    /// <summary>Names the sync engine itself writes inside a folder; never synced, never accepted from a peer.</summary>
    public const string TempPrefix = ".dreamsync-tmp-";
    public const string IgnoreFile = ".dreamignore";

    public static bool IsValid(string? path, out string? why)
    {
        why = null;
        if (string.IsNullOrEmpty(path)) { why = "the path is empty"; return false; }
        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxLength) { why = $"the path is longer than {MaxLength} bytes"; return false; }
        if (path[0] == '/') { why = "the path is absolute"; return false; }
        if (path.Length >= 2 && path[1] == ':') { why = "the path starts with a drive letter"; return false; }
        foreach (var c in path)
        {
            if (c == '\\') { why = "the path contains a backslash"; return false; }
            if (char.IsControl(c)) { why = "the path contains a control character"; return false; }
        }
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0) { why = "the path has an empty segment"; return false; }
            if (segment is "." or "..") { why = $"the path has a '{segment}' segment"; return false; }
            if (System.Text.Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes) { why = $"a segment is longer than {MaxSegmentBytes} bytes"; return false; }
            if (segment.StartsWith(TempPrefix, StringComparison.Ordinal)) { why = "the path names a sync temporary file"; return false; }
        }
        return true;
    }

    /// <summary>Throws <see cref="SyncErrors.UnsafePath"/> unless the path is a valid relative sync path.</summary>
    public static string Validate(string? path)
    {
        if (!IsValid(path, out var why))
            throw new DreamException(SyncErrors.UnsafePath, DreamErrorKind.SecurityError, $"Refused path '{Shorten(path)}': {why}.");
        return path!;
    }

    /// <summary>
    /// The absolute location of a valid relative path under <paramref name="root"/>, refusing any that would
    /// leave the folder through a symbolic link in an existing parent directory.
    /// </summary>
    public static string Resolve(string root, string path)
    {
        Validate(path);
        var fullRoot = System.IO.Path.GetFullPath(root);
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(fullRoot, path.Replace('/', System.IO.Path.DirectorySeparatorChar)));
        var rootWithSeparator = fullRoot.EndsWith(System.IO.Path.DirectorySeparatorChar) ? fullRoot : fullRoot + System.IO.Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            throw new DreamException(SyncErrors.UnsafePath, DreamErrorKind.SecurityError, $"Refused path '{Shorten(path)}': it leaves the folder.");
        var current = fullRoot;
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            current = System.IO.Path.Combine(current, segments[i]);
            var info = new FileInfo(current);
            if (!info.Exists && !Directory.Exists(current)) break;
            if (info.LinkTarget is not null || new DirectoryInfo(current).LinkTarget is not null)
                throw new DreamException(SyncErrors.UnsafePath, DreamErrorKind.SecurityError, $"Refused path '{Shorten(path)}': '{string.Join('/', segments[..(i + 1)])}' is a symbolic link.");
        }
        return full;
    }

    /// <summary>The sync path of a file under root (for the scanner).</summary>
    public static string FromLocal(string root, string fullPath) =>
        System.IO.Path.GetRelativePath(root, fullPath).Replace(System.IO.Path.DirectorySeparatorChar, '/');

    private static string Shorten(string? path) => path is null ? "" : path.Length > 80 ? path[..80] + "…" : path;
}
