using System.Security.Cryptography;

namespace Dreamwell.Sync;

/// <summary>Where missing chunks come from: a peer, or any source that returns bytes claimed to hash to the given value.</summary>
public interface IChunkSource
{
    /// <summary>The chunk's bytes; the caller verifies them, so a source may lie without harm.</summary>
    Task<byte[]> FetchAsync(string hash, int size, CancellationToken cancellationToken);
}

/// <summary>What applying a peer's index did.</summary>
public sealed record ApplyResult(int FilesReceived, int Deleted, int Conflicts, long BytesFetched, long BytesReused, int ChunksFetched, int ChunksReused, IReadOnlyList<string> Deferred);

/// <summary>
/// Applies a peer's announced file states to the local folder (docs/sync.md, "Pulling"): newer versions replace the
/// local file, concurrent changes follow <see cref="ConflictRule"/>, tombstones delete. A file is built in a temp file
/// in its own directory from chunks found locally (any file, verified by hash) or fetched, fsynced, given its time and
/// mode, and renamed over the target only if the local file has not changed since it was indexed; otherwise the path
/// is deferred to the next scan. Fetched chunks are kept in a cache folder until their file is committed, so an
/// interrupted pull resumes without fetching them again. Paths are validated before anything touches the disk.
/// </summary>
public sealed class SyncApplier(string root, SyncIndex index, string deviceId, IgnorePatterns ignore, string chunkCache)
{
    public const long MaxFileBytes = 64L << 30;

    /// <summary>Files at least this large keep their fetched chunks in the cache until committed, so a dropped link resumes.</summary>
    public const long ResumableFileBytes = 1 << 20;

    private readonly HashSet<string> _touchedFolders = new(StringComparer.Ordinal);

    /// <summary>
    /// Applies the states in order. Index updates are committed once at the end, after every file written and every
    /// folder changed has been flushed to disk: a crash in between leaves files the next scan reconciles (same content,
    /// versions merged), never an index that promises a file the disk does not have.
    /// </summary>
    public async Task<ApplyResult> ApplyAsync(IEnumerable<SyncFileState> remote, IChunkSource source, CancellationToken cancellationToken = default)
    {
        // Refuse the whole batch before touching the disk if any entry is unsafe; the last state of a path wins.
        var latest = new Dictionary<string, SyncFileState>(StringComparer.Ordinal);
        foreach (var theirs in remote)
        {
            SyncPath.Validate(theirs.Path);
            if (theirs.Size < 0 || theirs.Size > MaxFileBytes || theirs.Chunks.Sum(c => (long)c.Size) != (theirs.Deleted ? 0 : theirs.Size))
                throw new DreamException(SyncErrors.LimitExceeded, DreamErrorKind.InvalidData, $"The peer's entry for '{theirs.Path}' has an impossible size or chunk list.");
            if (ignore.IsIgnored(theirs.Path) || SyncPath.IgnoreFile == theirs.Path) continue;
            latest[theirs.Path] = theirs;
        }
        // States we already hold (or hold newer) can change nothing here, whatever the disk says (an unscanned local edit
        // gets its own newer version at the next scan): leave them out of the journal and the batch. A peer's echo of
        // what it just pulled from us is all such states.
        foreach (var path in latest.Keys.ToList())
        {
            if (index.Get(path) is { } ours && ours.Version.Compare(latest[path].Version) is VersionOrder.Equal or VersionOrder.Greater)
                latest.Remove(path);
        }
        var totals = new Totals();
        EnsurePoolThreads(Concurrency);
        ApplyJournal.Recover(root, index); // an earlier apply that was killed: adopt its files before journaling this one
        ApplyJournal.Begin(index, latest.Values);
        using var batch = index.BeginBatch();
        try
        {
            // Files first, several at once (fsyncs overlap, fetches pipeline), so chunks of renamed files are still
            // there to reuse; deletions after, one by one, so no folder is removed under a file being built in it.
            var options = new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(latest.Values.Where(s => !s.Deleted), options,
                async (theirs, token) => await ApplyOneAsync(theirs, source, totals, token).ConfigureAwait(false)).ConfigureAwait(false);
            foreach (var theirs in latest.Values.Where(s => s.Deleted))
                await ApplyOneAsync(theirs, source, totals, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // What was applied before a failure is kept: its files are in place, so its index entries must be too.
            Parallel.ForEach(_touchedFolders, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, folder => AtomicFile.FsyncFolder(folder));
            _touchedFolders.Clear();
            ApplyJournal.End(index);
            batch.Commit();
        }
        return new ApplyResult(totals.Received, totals.Deleted, totals.Conflicts, totals.BytesFetched, totals.BytesReused, totals.ChunksFetched, totals.ChunksReused, [.. totals.Deferred]);
    }

    /// <summary>
    /// Signals: the publisher's release always wins over a local edit, which is kept as a conflict copy (never sent
    /// upstream), and the file takes the publisher's version so the next release replaces it cleanly.
    /// </summary>
    public bool TheirsAlwaysWin { get; init; }

    /// <summary>
    /// Files built at once: enough to overlap fsyncs and round trips (a first sync is mostly small files), few enough to
    /// bound memory (each file holds at most its fetch-ahead window).
    /// </summary>
    public int Concurrency { get; init; } = 32;

    /// <summary>
    /// Each file being built blocks a pool thread in write, fsync and rename; when all pool threads block, the pool adds
    /// about two a second, which left both cores idle a fifth of the time in a first sync of 10,000 small files.
    /// </summary>
    private static void EnsurePoolThreads(int concurrentFiles)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = concurrentFiles + Environment.ProcessorCount;
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, completionPorts);
    }

    private readonly object _indexGate = new();

    private SyncFileState? Get(string path) { lock (_indexGate) return index.Get(path); }

    private void Put(SyncFileState state) { lock (_indexGate) index.Put(state); }

    private void Touch(string folder) { lock (_indexGate) _touchedFolders.Add(folder); }

    private sealed class Totals
    {
        public int Received, Deleted, Conflicts, ChunksFetched, ChunksReused;
        public long BytesFetched, BytesReused;
        public System.Collections.Concurrent.ConcurrentBag<string> Deferred { get; } = [];
    }

    private async Task ApplyOneAsync(SyncFileState theirs, IChunkSource source, Totals totals, CancellationToken cancellationToken)
    {
        var ours = Get(theirs.Path);
        var target = SyncPath.Resolve(root, theirs.Path);
        if (ours is not null && !MatchesDisk(ours, target)) { totals.Deferred.Add(theirs.Path); return; } // unscanned local edit: scan first
        var order = ours is null ? VersionOrder.Lesser : ours.Version.Compare(theirs.Version);
        var version = theirs.Version;
        switch (order)
        {
            case VersionOrder.Equal or VersionOrder.Greater:
                return;
            case VersionOrder.ConcurrentGreater or VersionOrder.ConcurrentLesser:
                if (!TheirsAlwaysWin && ConflictRule.Wins(ours!, theirs)) return; // the peer keeps our version and makes the conflict copy
                if (ours!.SameContentAs(theirs)) { Put(ours with { Version = TheirsAlwaysWin ? theirs.Version : ours.Version.Merge(theirs.Version) }); return; }
                if (!ours.Deleted)
                {
                    var loserWriter = ours.Version.Counters.OrderByDescending(c => c.Value).First().Key;
                    var copy = ConflictRule.ConflictName(theirs.Path, ours.Modified, loserWriter);
                    File.Move(target, SyncPath.Resolve(root, copy), overwrite: false);
                    Touch(Path.GetDirectoryName(target)!);
                    Interlocked.Increment(ref totals.Conflicts);
                }
                version = TheirsAlwaysWin ? theirs.Version : theirs.Version.Merge(ours.Version);
                break;
        }
        if (theirs.Deleted)
        {
            if (File.Exists(target)) File.Delete(target);
            Touch(Path.GetDirectoryName(target)!);
            RemoveEmptyParents(target);
            Put(theirs with { Version = version });
            Interlocked.Increment(ref totals.Deleted);
            return;
        }
        if (ours is { Deleted: false } && ours.SameContentAs(theirs) && ours.Mode == theirs.Mode)
        {
            File.SetLastWriteTimeUtc(target, theirs.Modified.UtcDateTime);
            Put(theirs with { Version = version });
            return;
        }
        var built = await BuildAsync(theirs, target, source, totals, cancellationToken).ConfigureAwait(false);
        if (!built) { totals.Deferred.Add(theirs.Path); return; }
        Put(theirs with { Version = version });
        Interlocked.Increment(ref totals.Received);
    }

    private async Task<bool> BuildAsync(SyncFileState theirs, string target, IChunkSource source, Totals totals, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        SyncPath.Resolve(root, theirs.Path); // the folders just created may not be links either
        var temp = Path.Combine(folder, SyncPath.TempPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        var renamed = false;
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                // Chunks are asked for ahead of the one being written (up to a window), so a file costs about one round
                // trip, not one per chunk; written strictly in order.
                using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken); // on failure, drop what was asked ahead
                var ahead = new Queue<Task<byte[]>>();
                long aheadBytes = 0;
                var next = 0;
                while (next < theirs.Chunks.Count || ahead.Count > 0)
                {
                    while (next < theirs.Chunks.Count && (ahead.Count == 0 || (ahead.Count < FetchAheadChunks && aheadBytes + theirs.Chunks[next].Size <= FetchAheadBytes)))
                    {
                        aheadBytes += theirs.Chunks[next].Size;
                        ahead.Enqueue(ObtainAsync(theirs.Chunks[next++], theirs.Size >= ResumableFileBytes, source, totals, abandon.Token));
                    }
                    byte[] bytes;
                    try
                    {
                        bytes = await ahead.Dequeue().ConfigureAwait(false);
                        aheadBytes -= bytes.Length;
                        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        abandon.Cancel();
                        throw;
                    }
                }
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }
            File.SetLastWriteTimeUtc(temp, theirs.Modified.UtcDateTime);
            if (!OperatingSystem.IsWindows() && theirs.Mode != 0) File.SetUnixFileMode(temp, (UnixFileMode)(theirs.Mode & 0x1FF));
            var ours = Get(theirs.Path);
            if (ours is not null && !MatchesDisk(ours, target)) return false; // edited while we built: keep the edit
            if (ours is null && File.Exists(target)) return false; // a new local file the scanner has not seen yet
            File.Move(temp, target, overwrite: true);
            renamed = true;
            Touch(folder);
            if (theirs.Size >= ResumableFileBytes) foreach (var chunk in theirs.Chunks) TryDelete(CachePath(chunk.Hash));
            return true;
        }
        finally
        {
            if (!renamed) TryDelete(temp);
        }
    }

    /// <summary>Chunks of one file asked for ahead of the one being written: bounds memory per file being built.</summary>
    private const int FetchAheadChunks = 64, FetchAheadBytes = 512 << 10;

    /// <summary>A chunk from any local file, the resume cache, or the peer — always verified by hash.</summary>
    private async Task<byte[]> ObtainAsync(SyncChunk chunk, bool resumable, IChunkSource source, Totals totals, CancellationToken cancellationToken)
    {
        var bytes = ReadLocal(chunk) ?? ReadCached(chunk, resumable); // a cached chunk was fetched before an interrupted pull
        if (bytes is not null)
        {
            Interlocked.Increment(ref totals.ChunksReused);
            Interlocked.Add(ref totals.BytesReused, chunk.Size);
            return bytes;
        }
        bytes = await FetchVerifiedAsync(chunk, source, resumable, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref totals.ChunksFetched);
        Interlocked.Add(ref totals.BytesFetched, chunk.Size);
        return bytes;
    }

    private async Task<byte[]> FetchVerifiedAsync(SyncChunk chunk, IChunkSource source, bool keep, CancellationToken cancellationToken)
    {
        var fetched = await source.FetchAsync(chunk.Hash, chunk.Size, cancellationToken).ConfigureAwait(false);
        if (fetched.Length != chunk.Size || Blake3Hash.Hex(fetched) != chunk.Hash)
            throw new DreamException("SyncChunkMismatch", DreamErrorKind.SecurityError, $"A chunk the peer sent does not hash to {chunk.Hash[..16]}…; refused.");
        if (keep) WriteCache(CachePath(chunk.Hash), fetched);
        return fetched;
    }

    /// <summary>The chunk from the cache of an interrupted pull, verified; null when it is not there (or torn).</summary>
    private byte[]? ReadCached(SyncChunk chunk, bool resumable)
    {
        if (!resumable) return null;
        try
        {
            var bytes = File.ReadAllBytes(CachePath(chunk.Hash));
            return bytes.Length == chunk.Size && Blake3Hash.Hex(bytes) == chunk.Hash ? bytes : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>The chunk from any local file that holds it, verified by hash; null when none does any more.</summary>
    private byte[]? ReadLocal(SyncChunk chunk)
    {
        IReadOnlyList<(string Path, long Offset, int Size)> places;
        lock (_indexGate) places = index.PlacesOf(chunk.Hash);
        foreach (var (path, offset, size) in places)
        {
            try
            {
                using var input = new FileStream(SyncPath.Resolve(root, path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                if (input.Length < offset + size) continue;
                input.Position = offset;
                var bytes = new byte[size];
                input.ReadExactly(bytes);
                if (Blake3Hash.Hex(bytes) == chunk.Hash) return bytes;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DreamException) { }
        }
        return null;
    }

    private static bool MatchesDisk(SyncFileState state, string target)
    {
        var info = new FileInfo(target);
        if (state.Deleted) return !info.Exists;
        if (!info.Exists) return false;
        var stat = FolderScanner.Stat(info);
        return stat.Size == state.Size && stat.MtimeNs == state.ModifiedUnixNs;
    }

    private string CachePath(string hash) => Path.Combine(chunkCache, hash[..2], hash);

    private void RemoveEmptyParents(string target)
    {
        var fullRoot = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        var folder = Path.GetDirectoryName(target);
        while (folder is not null && folder.Length > fullRoot.Length && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            folder = Path.GetDirectoryName(folder);
        }
    }

    /// <summary>
    /// The chunk cache is written without fsync: every read of it is verified by hash, so a torn or lost cache file only
    /// costs a fetch again; it never holds the only copy of anything.
    /// </summary>
    private static void WriteCache(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Removes the temp files of builds that never finished (the process was killed before its finally ran). Call it only
    /// when no apply runs on the folder, as the portal worker does before its first scan.
    /// </summary>
    public static int RemoveLeftoverTemps(string root)
    {
        var removed = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var temp in Directory.EnumerateFiles(root, SyncPath.TempPrefix + "*", options))
        {
            TryDelete(temp);
            removed++;
        }
        return removed;
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
