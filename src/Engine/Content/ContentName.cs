namespace Dreamwell.Content;

/// <summary>
/// The name an item is published under: a relative path of '/'-separated segments. No empty, "." or ".."
/// segments, no backslash, no drive or root, no control characters, so a name can never leave the folder
/// it is restored into and means the same thing on every platform.
/// </summary>
public static class ContentName
{
    public const int MaxLength = 1024;
    public const int MaxSegmentLength = 255;

    public static string Validate(string? name)
    {
        if (string.IsNullOrEmpty(name)) throw Bad(name, "it is empty");
        if (name.Length > MaxLength) throw Bad(name, $"it is longer than {MaxLength} characters");
        if (name.StartsWith('/')) throw Bad(name, "it is absolute (starts with '/')");
        foreach (var c in name)
        {
            if (char.IsControl(c)) throw Bad(name, "it contains a control character");
            if (c is '\\' or ':' or '?' or '#') throw Bad(name, $"it contains '{c}'");
        }
        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0) throw Bad(name, "it has an empty segment");
            if (segment is "." or "..") throw Bad(name, $"it has a '{segment}' segment");
            if (segment.Length > MaxSegmentLength) throw Bad(name, $"a segment is longer than {MaxSegmentLength} characters");
        }
        return name;
    }

    /// <summary>The last segment: the file name a restore uses when no destination is given.</summary>
    public static string Leaf(string name) => name[(name.LastIndexOf('/') + 1)..];

    private static DreamException Bad(string? name, string why) =>
        new("BadContentName", DreamErrorKind.InvalidArgument, $"'{name}' is not a valid content name: {why}.");
}
