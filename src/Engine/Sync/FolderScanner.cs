using System.IO.Enumeration;
using Dreamwell.Formats;

namespace Dreamwell.Sync;

/// <summary>What one scan found.</summary>
public sealed record ScanResult(int Changed, int Deleted, int Unchanged, long BytesHashed, IReadOnlyList<string> Skipped);

/// <summary>
/// Walks a synced folder and brings its index up to date: new and changed files are chunked (FastCDC, BLAKE3) and get a
/// new version from this device; files whose size, time and mode match the index are not read; files that are gone
/// become tombstones. Symbolic links, ignored paths, .dreamignore itself and sync temp files are not synced. A file that
/// cannot be read is reported in Skipped and keeps its old entry (it is never mistaken for a deletion).
/// </summary>
public static class FolderScanner
{
    public const int MaxFiles = 1_000_000;

    public static ScanResult Scan(string root, SyncIndex index, string deviceId, IgnorePatterns ignore,
        IProgress<DreamProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(root))
            throw new DreamException(SyncErrors.FolderMissing, DreamErrorKind.NotFound, $"The synced folder '{root}' does not exist; nothing was changed (a missing folder is never read as 'everything deleted').");
        var generation = long.Parse(index.GetMeta("scan_generation") ?? "0", System.Globalization.CultureInfo.InvariantCulture) + 1;
        int changed = 0, deleted = 0, unchanged = 0, files = 0;
        long hashed = 0;
        var skipped = new List<string>();
        using var batch = index.BeginBatch();
        foreach (var (full, relative) in Enumerate(root, ignore))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++files > MaxFiles)
                throw new DreamException(SyncErrors.LimitExceeded, DreamErrorKind.LimitExceeded, $"'{root}' holds more than {MaxFiles} files; ignore some with {SyncPath.IgnoreFile}.");
            if (!SyncPath.IsValid(relative, out _)) { skipped.Add(relative); continue; }
            var existing = index.Get(relative);
            try
            {
                var info = new FileInfo(full);
                var stat = Stat(info);
                if (existing is { Deleted: false } && existing.Size == stat.Size && existing.ModifiedUnixNs == stat.MtimeNs && existing.Mode == stat.Mode)
                {
                    index.MarkSeen(relative, generation);
                    unchanged++;
                    continue;
                }
                var chunks = Chunk(full, cancellationToken);
                var after = Stat(new FileInfo(full));
                if (after != stat) { Protect(index, existing, relative, generation, skipped); continue; } // still being written: next scan
                hashed += stat.Size;
                var candidate = new SyncFileState(relative, stat.Size, stat.Mode, stat.MtimeNs, false, existing?.Version ?? VersionVector.Empty, chunks);
                if (existing is { Deleted: false } && existing.SameContentAs(candidate) && existing.Mode == stat.Mode)
                    index.Put(candidate with { Version = existing.Version }, generation); // only the time moved
                else
                {
                    index.Put(candidate with { Version = candidate.Version.Update(deviceId) }, generation);
                    changed++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Protect(index, existing, relative, generation, skipped);
            }
            progress?.Report(new DreamProgress("Scanning", relative, files, -1));
        }
        foreach (var gone in index.NotSeenIn(generation))
        {
            if (ignore.IsIgnored(gone.Path)) continue; // newly ignored: stop syncing it, never delete it elsewhere
            index.Put(gone with { Deleted = true, Size = 0, Chunks = [], Version = gone.Version.Update(deviceId) }, generation);
            deleted++;
        }
        index.SetMeta("scan_generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture));
        batch.Commit();
        return new ScanResult(changed, deleted, unchanged, hashed, skipped);
    }

    /// <summary>Chunks one file: content-defined boundaries, BLAKE3 per chunk.</summary>
    public static IReadOnlyList<SyncChunk> Chunk(string path, CancellationToken cancellationToken = default)
    {
        var chunks = new List<SyncChunk>();
        using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        FastCdc.Split(input, (offset, chunk) => chunks.Add(new SyncChunk(offset, chunk.Length, Blake3Hash.Hex(chunk))), cancellationToken);
        return chunks;
    }

    internal readonly record struct FileStat(long Size, long MtimeNs, int Mode);

    internal static FileStat Stat(FileInfo info)
    {
        info.Refresh();
        if (!info.Exists) throw new FileNotFoundException("The file is gone.", info.FullName);
        var mode = OperatingSystem.IsWindows() ? 0 : (int)info.UnixFileMode & 0x1FF;
        return new FileStat(info.Length, (info.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks * 100, mode);
    }

    private static void Protect(SyncIndex index, SyncFileState? existing, string relative, long generation, List<string> skipped)
    {
        skipped.Add(relative);
        if (existing is not null) index.MarkSeen(relative, generation);
    }

    /// <summary>Regular files under root, depth first, without following links or entering ignored directories.</summary>
    private static IEnumerable<(string Full, string Relative)> Enumerate(string root, IgnorePatterns ignore)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0, ReturnSpecialDirectories = false };
        var enumerable = new FileSystemEnumerable<(string, string)>(root,
            (ref FileSystemEntry entry) => (entry.ToFullPath(), SyncPath.FromLocal(root, entry.ToFullPath())), options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
            {
                if (entry.IsDirectory || (entry.Attributes & FileAttributes.ReparsePoint) != 0) return false;
                var relative = SyncPath.FromLocal(root, entry.ToFullPath());
                return relative != SyncPath.IgnoreFile && !ignore.IsIgnored(relative);
            },
            ShouldRecursePredicate = (ref FileSystemEntry entry) =>
                (entry.Attributes & FileAttributes.ReparsePoint) == 0 && !ignore.IsIgnored(SyncPath.FromLocal(root, entry.ToFullPath())),
        };
        return enumerable;
    }
}
