using System.Text;

namespace Dreamwell.Formats;

/// <summary>
/// The one rule for names stored in a container: relative, '/'-separated, no empty, '.' or '..' segment,
/// no backslash, NUL or drive prefix, within the length limits. Checked when packing and again when opening.
/// </summary>
internal static class StoredPath
{
    public static string? Problem(string path, bool singleSegment)
    {
        if (path.Length == 0) return "name is empty";
        if (Encoding.UTF8.GetByteCount(path) > FormatLimits.MaxPathBytes) return $"name is longer than {FormatLimits.MaxPathBytes} bytes";
        if (path.Contains('\0')) return "name contains NUL";
        if (path.Contains('\\')) return "name contains a backslash";
        if (path[0] == '/') return "name is absolute";
        if (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])) return "name has a drive prefix";
        var segments = path.Split('/');
        if (singleSegment && segments.Length != 1) return "name has a folder part";
        foreach (var segment in segments)
        {
            if (segment.Length == 0) return "name has an empty segment";
            if (segment is "." or "..") return "name has a '.' or '..' segment";
            if (Encoding.UTF8.GetByteCount(segment) > FormatLimits.MaxSegmentBytes) return $"a segment is longer than {FormatLimits.MaxSegmentBytes} bytes";
        }
        return null;
    }

    /// <summary>For names read from a container.</summary>
    public static void CheckStored(string path, bool singleSegment, long offset)
    {
        if (Problem(path, singleSegment) is { } problem)
            throw new DreamFormatException("UnsafePath", $"Stored name '{Sanitize(path)}' refused: {problem}.", offset);
    }

    /// <summary>For names about to be written into a container.</summary>
    public static void CheckPacking(string path, bool singleSegment)
    {
        if (Problem(path, singleSegment) is { } problem)
            throw new DreamException("UnsafePath", DreamErrorKind.SecurityError, $"Cannot store name '{Sanitize(path)}': {problem}.");
    }

    /// <summary>
    /// A symlink stored at <paramref name="linkPath"/> pointing to <paramref name="target"/> must stay inside the
    /// tree: relative, and never climbing above the root when resolved from the link's folder.
    /// </summary>
    public static string? LinkProblem(string linkPath, string target)
    {
        if (target.Length == 0) return "link target is empty";
        if (Encoding.UTF8.GetByteCount(target) > FormatLimits.MaxPathBytes) return "link target is too long";
        if (target.Contains('\0') || target.Contains('\\')) return "link target contains NUL or a backslash";
        if (target[0] == '/' || (target.Length >= 2 && target[1] == ':' && char.IsAsciiLetter(target[0]))) return "link target is absolute";
        var depth = linkPath.Split('/').Length - 1;
        foreach (var segment in target.Split('/'))
        {
            if (segment is "" or ".") continue;
            depth += segment == ".." ? -1 : 1;
            if (depth < 0) return "link target escapes the tree";
        }
        return null;
    }

    private static string Sanitize(string path)
    {
        var builder = new StringBuilder(Math.Min(path.Length, 200));
        foreach (var c in path.Length > 200 ? path[..200] : path) builder.Append(char.IsControl(c) ? '?' : c);
        return builder.ToString();
    }
}
