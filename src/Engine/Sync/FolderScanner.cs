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

    /// <summary>Files hashed between two commits of a scan that finds much new content (see <c>portionCommitted</c>).</summary>
    private const int PortionFiles = 500;
    private const long PortionBytes = 16 << 20;

    /// <param name="portionCommitted">
    /// When given, new and changed files are committed every few hundred files (or 16 MiB) and this is called after each
    /// commit, so peers can start pulling the first files of a large folder while the rest is still being hashed.
    /// Tombstones are only written at the end, once the whole folder has been walked.
    /// </param>
    public static ScanResult Scan(string root, SyncIndex index, string deviceId, IgnorePatterns ignore,
        IProgress<DreamProgress>? progress = null, CancellationToken cancellationToken = default, Action? portionCommitted = null)
    {
        RequireFolder(root);
        ApplyJournal.Recover(root, index); // files an interrupted apply renamed into place are the peer's versions, not local edits
        var generation = long.Parse(index.GetMeta("scan_generation") ?? "0", System.Globalization.CultureInfo.InvariantCulture) + 1;
        int changed = 0, deleted = 0, unchanged = 0, files = 0;
        long hashed = 0;
        var skipped = new List<string>();
        var batch = index.BeginBatch();
        try
        {
            // Taken at the start: a scan cut short after committing a portion has used its generation, so the next
            // scan's "not seen" really means not seen by that scan.
            index.SetMeta("scan_generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var toHash = new List<ToHash>();
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
                    if (Unchanged(existing, stat))
                    {
                        index.MarkSeen(relative, generation);
                        unchanged++;
                    }
                    else toHash.Add(new ToHash(full, relative, existing, stat));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Protect(index, existing, relative, generation, skipped);
                }
            }

            for (var start = 0; start < toHash.Count;)
            {
                var end = start;
                long bytes = 0;
                while (end < toHash.Count && (portionCommitted is null || (end - start < PortionFiles && bytes < PortionBytes)))
                    bytes += toHash[end++].Stat.Size;
                foreach (var (item, chunks) in HashAll(toHash, start, end, cancellationToken))
                {
                    if (chunks is null) { Protect(index, item.Existing, item.Relative, generation, skipped); continue; }
                    hashed += item.Stat.Size;
                    if (Record(index, item, chunks, deviceId, generation)) changed++;
                }
                progress?.Report(new DreamProgress("Scanning", toHash[end - 1].Relative, end, toHash.Count));
                start = end;
                if (portionCommitted is not null && start < toHash.Count)
                {
                    batch.Commit();
                    batch.Dispose();
                    batch = index.BeginBatch();
                    portionCommitted();
                }
            }
            foreach (var gone in index.NotSeenIn(generation))
            {
                if (ignore.IsIgnored(gone.Path)) continue; // newly ignored: stop syncing it, never delete it elsewhere
                index.Put(Tombstone(gone, deviceId), generation);
                deleted++;
            }
            batch.Commit();
        }
        finally
        {
            batch.Dispose();
        }
        return new ScanResult(changed, deleted, unchanged, hashed, skipped);
    }

    /// <summary>
    /// Brings the index up to date for a few paths the file watcher named (Syncthing scans only what its watcher saw,
    /// too): a change reaches peers without walking the whole folder. Same rules as <see cref="Scan"/> for each path.
    /// Returns null when the paths need a full scan instead: a folder appeared or went away, a symbolic link is
    /// involved, or <c>.dreamignore</c> changed.
    /// </summary>
    public static ScanResult? ScanPaths(string root, SyncIndex index, string deviceId, IgnorePatterns ignore, IEnumerable<string> paths, CancellationToken cancellationToken = default)
    {
        RequireFolder(root);
        ApplyJournal.Recover(root, index);
        var generation = long.Parse(index.GetMeta("scan_generation") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        int changed = 0, deleted = 0, unchanged = 0;
        var skipped = new List<string>();
        var toHash = new List<ToHash>();
        using var batch = index.BeginBatch();
        foreach (var relative in paths.Distinct(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (relative == SyncPath.IgnoreFile) return null;
            if (!SyncPath.IsValid(relative, out _) || ignore.IsIgnored(relative)) continue; // temp files, ignored paths
            string full;
            try { full = SyncPath.Resolve(root, relative); }
            catch (DreamException) { return null; } // under a symbolic link: the full scan's rules decide
            var existing = index.Get(relative);
            var info = new FileInfo(full);
            if (Directory.Exists(full) || info.LinkTarget is not null) return null;
            if (!info.Exists)
            {
                if (existing is { Deleted: false })
                {
                    index.Put(Tombstone(existing, deviceId), generation);
                    deleted++;
                }
                else if (index.HasLiveUnder(relative)) return null; // it was a folder
                continue;
            }
            try
            {
                var stat = Stat(info);
                if (Unchanged(existing, stat)) unchanged++;
                else toHash.Add(new ToHash(full, relative, existing, stat));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { skipped.Add(relative); }
        }
        long hashed = 0;
        foreach (var (item, chunks) in HashAll(toHash, 0, toHash.Count, cancellationToken))
        {
            if (chunks is null) { skipped.Add(item.Relative); continue; } // still being written: its next event rescans it
            hashed += item.Stat.Size;
            if (Record(index, item, chunks, deviceId, generation)) changed++;
        }
        batch.Commit();
        return new ScanResult(changed, deleted, unchanged, hashed, skipped);
    }

    private sealed record ToHash(string Full, string Relative, SyncFileState? Existing, FileStat Stat);

    private static void RequireFolder(string root)
    {
        if (!Directory.Exists(root))
            throw new DreamException(SyncErrors.FolderMissing, DreamErrorKind.NotFound, $"The synced folder '{root}' does not exist; nothing was changed (a missing folder is never read as 'everything deleted').");
    }

    /// <summary>Size, time and mode as indexed: the file is not read again.</summary>
    private static bool Unchanged(SyncFileState? existing, FileStat stat) =>
        existing is { Deleted: false } && existing.Size == stat.Size && existing.ModifiedUnixNs == stat.MtimeNs && existing.Mode == stat.Mode;

    /// <summary>Indexes a hashed file; true when its content or mode changed (a new version), false when only its time moved.</summary>
    private static bool Record(SyncIndex index, ToHash item, IReadOnlyList<SyncChunk> chunks, string deviceId, long generation)
    {
        var candidate = new SyncFileState(item.Relative, item.Stat.Size, item.Stat.Mode, item.Stat.MtimeNs, false, item.Existing?.Version ?? VersionVector.Empty, chunks);
        if (item.Existing is { Deleted: false } && item.Existing.SameContentAs(candidate) && item.Existing.Mode == item.Stat.Mode)
        {
            index.Put(candidate with { Version = item.Existing.Version }, generation);
            return false;
        }
        index.Put(candidate with { Version = candidate.Version.Update(deviceId) }, generation);
        return true;
    }

    private static SyncFileState Tombstone(SyncFileState live, string deviceId) =>
        live with { Deleted = true, Size = 0, Chunks = [], Version = live.Version.Update(deviceId) };

    /// <summary>
    /// Chunks files [start, end) on every core (hashing is the expensive part and files are independent); null for a
    /// file that could not be read or changed while it was read (the next scan takes it).
    /// </summary>
    private static IEnumerable<(ToHash Item, IReadOnlyList<SyncChunk>? Chunks)> HashAll(List<ToHash> items, int start, int end, CancellationToken cancellationToken)
    {
        var chunked = new IReadOnlyList<SyncChunk>?[end - start];
        Parallel.For(start, end, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                var chunks = Chunk(items[i].Full, cancellationToken);
                if (Stat(new FileInfo(items[i].Full)) == items[i].Stat) chunked[i - start] = chunks;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        });
        for (var i = start; i < end; i++) yield return (items[i], chunked[i - start]);
    }

    /// <summary>
    /// Files up to this size are one chunk (FastCDC's largest chunk, so no chunk grows): as in Syncthing, where a file
    /// under its block size is one block. Cutting a small file saves little when it changes and costs a request, a hash
    /// and an index row per piece (a first sync of 10,000 files of 1–40 KB held about 2.5 chunks per file).
    /// </summary>
    public const int WholeFileChunkBytes = FastCdc.MaxSize;

    /// <summary>Chunks one file: one chunk when small, content-defined boundaries otherwise; BLAKE3 per chunk.</summary>
    public static IReadOnlyList<SyncChunk> Chunk(string path, CancellationToken cancellationToken = default)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var length = RandomAccess.GetLength(handle);
        if (length <= WholeFileChunkBytes) return length == 0 ? [] : [WholeFileChunk(handle, (int)length)];
        var chunks = new List<SyncChunk>();
        using var input = new FileStream(handle, FileAccess.Read, 1 << 16);
        FastCdc.Split(input, (offset, chunk) => chunks.Add(new SyncChunk(offset, chunk.Length, Blake3Hash.Hex(chunk))), cancellationToken);
        return chunks;
    }

    /// <summary>A small file read whole (a file that shrinks meanwhile is caught by the caller's second look at it).</summary>
    private static SyncChunk WholeFileChunk(Microsoft.Win32.SafeHandles.SafeFileHandle handle, int length)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var read = FileRead.Fill(handle, buffer.AsSpan(0, length), 0);
            return new SyncChunk(0, read, Blake3Hash.Hex(buffer.AsSpan(0, read)));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
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
