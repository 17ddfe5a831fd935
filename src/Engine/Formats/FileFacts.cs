namespace Dreamwell.Formats;

/// <summary>The metadata a container keeps about a file: permission bits and mtime (ns since the Unix epoch, UTC).</summary>
internal readonly record struct FileFacts(int Mode, long ModifiedNs)
{
    /// <summary>Only permission bits travel; setuid/setgid/sticky are never restored.</summary>
    public const int ModeMask = 0x1FF;
    public const int DefaultFileMode = 0x1A4; // 0644
    public const int DefaultFolderMode = 0x1ED; // 0755

    public DateTimeOffset Modified => DateTimeOffset.UnixEpoch.AddTicks(ModifiedNs / 100);

    public static FileFacts Of(FileSystemInfo info, bool isFolder)
    {
        var mode = OperatingSystem.IsWindows() ? (isFolder ? DefaultFolderMode : DefaultFileMode) : (int)info.UnixFileMode & ModeMask;
        var ns = (info.LastWriteTimeUtc.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        return new FileFacts(mode, ns);
    }

    public void ApplyTo(string path, bool isFolder)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)(Mode & ModeMask));
        var utc = new DateTime(DateTime.UnixEpoch.Ticks + ModifiedNs / 100, DateTimeKind.Utc);
        if (isFolder) Directory.SetLastWriteTimeUtc(path, utc);
        else File.SetLastWriteTimeUtc(path, utc);
    }
}

/// <summary>Where restored output goes and whether it may replace what is there.</summary>
internal static class Destination
{
    /// <summary>An existing folder as destination means "put the stored name inside it".</summary>
    public static string ForFile(string destination, string storedName, bool overwrite)
    {
        var full = Path.GetFullPath(destination);
        if (Directory.Exists(full)) full = Path.Combine(full, storedName);
        if (Directory.Exists(full))
            throw new DreamException("DestinationExists", DreamErrorKind.AlreadyExists, $"'{full}' is a folder.");
        if (!overwrite && File.Exists(full))
            throw new DreamException("DestinationExists", DreamErrorKind.AlreadyExists, $"'{full}' already exists; use -Force to replace it.");
        return full;
    }

    public static void ForContainer(string destination, bool overwrite)
    {
        if (!overwrite && File.Exists(destination))
            throw new DreamException("DestinationExists", DreamErrorKind.AlreadyExists, $"'{Path.GetFullPath(destination)}' already exists; use -Force to replace it.");
    }

    public static FileInfo SourceFile(string path)
    {
        var info = new FileInfo(Path.GetFullPath(path));
        if (!info.Exists)
            throw new DreamException("SourceNotFound", DreamErrorKind.NotFound, $"'{info.FullName}' does not exist or is not a file.");
        return info;
    }

    public static DreamException SourceChanged(string path) =>
        new("SourceChanged", DreamErrorKind.InvalidOperation, $"'{path}' changed size while it was being read.");
}
