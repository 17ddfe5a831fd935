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
        ApplyJournal.Recover(root, index); // files an interrupted apply renamed into place are the peer's versions, not local edits
        var generation = long.Parse(index.GetMeta("scan_generation") ?? "0", System.Globalization.CultureInfo.InvariantCulture) + 1;
        int changed = 0, deleted = 0, unchanged = 0, files = 0;
        long hashed = 0;
        var skipped = new List<string>();
        using var batch = index.BeginBatch();
        var toHash = new List<(string Full, string Relative, SyncFileState? Existing, FileStat Stat)>();
        foreach (var (full, relative) in Enumerate(root, ignore))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++files > MaxFiles)
                throw new DreamException(SyncErrors.LimitExceeded, DreamErrorKind.LimitExceeded, $"'{root}' holds more than {MaxFiles} files; ignore some with {SyncPath.IgnoreFile}.");
            if (!SyncPath.IsValid(relative, out _)) { skipped.Add(relative); continue; }
            var existing = index.Get(relative);
            try
            {
                var stat = Stat(new FileInfo(full));
                if (existing is { Deleted: false } && existing.Size == stat.Size && existing.ModifiedUnixNs == stat.MtimeNs && existing.Mode == stat.Mode)
                {
                    index.MarkSeen(relative, generation);
                    unchanged++;
                }
                else toHash.Add((full, relative, existing, stat));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Protect(index, existing, relative, generation, skipped);
            }
        }

        // Hashing is the expensive part and files are independent: every core hashes; the index is written on this thread.
        var chunked = new IReadOnlyList<SyncChunk>?[toHash.Count];
        Parallel.For(0, toHash.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                var chunks = Chunk(toHash[i].Full, cancellationToken);
                if (Stat(new FileInfo(toHash[i].Full)) == toHash[i].Stat) chunked[i] = chunks; // else still being written: next scan
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        });
        for (var i = 0; i < toHash.Count; i++)
        {
            var (_, relative, existing, stat) = toHash[i];
            if (chunked[i] is not { } chunks) { Protect(index, existing, relative, generation, skipped); continue; }
            hashed += stat.Size;
            var candidate = new SyncFileState(relative, stat.Size, stat.Mode, stat.MtimeNs, false, existing?.Version ?? VersionVector.Empty, chunks);
            if (existing is { Deleted: false } && existing.SameContentAs(candidate) && existing.Mode == stat.Mode)
                index.Put(candidate with { Version = existing.Version }, generation); // only the time moved
            else
            {
                index.Put(candidate with { Version = candidate.Version.Update(deviceId) }, generation);
                changed++;
            }
            progress?.Report(new DreamProgress("Scanning", relative, i + 1, toHash.Count));
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
