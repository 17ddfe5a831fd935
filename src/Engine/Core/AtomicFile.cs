namespace Dreamwell;

/// <summary>
/// The only way the engine writes a file: into a temp file in the same folder, flushed to disk,
/// then renamed over the destination. A crash leaves either the old file or the new one, never half.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<FileStream> write, bool overwrite = true, UnixFileMode? mode = null)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? throw new DreamException("InvalidPath", DreamErrorKind.InvalidArgument, $"No folder in path '{path}'.");
        Directory.CreateDirectory(folder);
        if (!overwrite && File.Exists(full))
            throw new DreamException("DestinationExists", DreamErrorKind.AlreadyExists, $"'{full}' already exists; use -Force to replace it.");
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 1 << 16 };
            if (mode is { } m && !OperatingSystem.IsWindows()) options.UnixCreateMode = m;
            using (var stream = new FileStream(temp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite);
            FsyncFolder(folder);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool overwrite = true, UnixFileMode? mode = null)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy), overwrite, mode);
    }

    /// <summary>
    /// Makes the rename itself durable (POSIX: fsync the directory entry). True when the directory was flushed; false
    /// where the OS or file system cannot (Windows, or a folder that cannot be opened or fsynced): the data itself is
    /// already flushed. The directory is opened with open(2): .NET's file APIs refuse directories.
    /// </summary>
    internal static bool FsyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows()) return false;
        int descriptor;
        try { descriptor = Libc.Open(folder, Libc.ReadOnly | Libc.CloseOnExec); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; } // a Unix without "libc"
        if (descriptor < 0) return false;
        try { return Libc.Fsync(descriptor) == 0; }
        finally { Libc.Close(descriptor); }
    }

    internal static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
