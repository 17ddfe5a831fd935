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

    public async Task<ApplyResult> ApplyAsync(IEnumerable<SyncFileState> remote, IChunkSource source, CancellationToken cancellationToken = default)
    {
        var totals = new Totals();
        foreach (var theirs in remote)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SyncPath.Validate(theirs.Path);
            if (theirs.Size < 0 || theirs.Size > MaxFileBytes || theirs.Chunks.Sum(c => (long)c.Size) != (theirs.Deleted ? 0 : theirs.Size))
                throw new DreamException(SyncErrors.LimitExceeded, DreamErrorKind.InvalidData, $"The peer's entry for '{theirs.Path}' has an impossible size or chunk list.");
            if (ignore.IsIgnored(theirs.Path) || SyncPath.IgnoreFile == theirs.Path) continue;
            await ApplyOneAsync(theirs, source, totals, cancellationToken).ConfigureAwait(false);
        }
        return new ApplyResult(totals.Received, totals.Deleted, totals.Conflicts, totals.BytesFetched, totals.BytesReused, totals.ChunksFetched, totals.ChunksReused, totals.Deferred);
    }

    private sealed class Totals
    {
        public int Received, Deleted, Conflicts, ChunksFetched, ChunksReused;
        public long BytesFetched, BytesReused;
        public List<string> Deferred { get; } = [];
    }

    private async Task ApplyOneAsync(SyncFileState theirs, IChunkSource source, Totals totals, CancellationToken cancellationToken)
    {
        var ours = index.Get(theirs.Path);
        var target = SyncPath.Resolve(root, theirs.Path);
        if (ours is not null && !MatchesDisk(ours, target)) { totals.Deferred.Add(theirs.Path); return; } // unscanned local edit: scan first
        var order = ours is null ? VersionOrder.Lesser : ours.Version.Compare(theirs.Version);
        var version = theirs.Version;
        switch (order)
        {
            case VersionOrder.Equal or VersionOrder.Greater:
                return;
            case VersionOrder.ConcurrentGreater or VersionOrder.ConcurrentLesser:
                if (ConflictRule.Wins(ours!, theirs)) return; // the peer keeps our version and makes the conflict copy
                if (ours!.SameContentAs(theirs)) { index.Put(ours with { Version = ours.Version.Merge(theirs.Version) }); return; }
                if (!ours.Deleted)
                {
                    var loserWriter = ours.Version.Counters.OrderByDescending(c => c.Value).First().Key;
                    var copy = ConflictRule.ConflictName(theirs.Path, ours.Modified, loserWriter);
                    File.Move(target, SyncPath.Resolve(root, copy), overwrite: false);
                    totals.Conflicts++;
                }
                version = theirs.Version.Merge(ours.Version);
                break;
        }
        if (theirs.Deleted)
        {
            if (File.Exists(target)) File.Delete(target);
            RemoveEmptyParents(target);
            index.Put(theirs with { Version = version });
            totals.Deleted++;
            return;
        }
        if (ours is { Deleted: false } && ours.SameContentAs(theirs) && ours.Mode == theirs.Mode)
        {
            File.SetLastWriteTimeUtc(target, theirs.Modified.UtcDateTime);
            index.Put(theirs with { Version = version });
            return;
        }
        var built = await BuildAsync(theirs, target, source, totals, cancellationToken).ConfigureAwait(false);
        if (!built) { totals.Deferred.Add(theirs.Path); return; }
        index.Put(theirs with { Version = version });
        totals.Received++;
    }

    private async Task<bool> BuildAsync(SyncFileState theirs, string target, IChunkSource source, Totals totals, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        SyncPath.Resolve(root, theirs.Path); // the folders just created may not be links either
        var temp = Path.Combine(folder, SyncPath.TempPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                foreach (var chunk in theirs.Chunks)
                {
                    var bytes = ReadLocal(chunk);
                    if (bytes is not null) { totals.ChunksReused++; totals.BytesReused += chunk.Size; }
                    else
                    {
                        bytes = await FetchVerifiedAsync(chunk, source, cancellationToken).ConfigureAwait(false);
                        totals.ChunksFetched++;
                        totals.BytesFetched += chunk.Size;
                    }
                    await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                }
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }
            File.SetLastWriteTimeUtc(temp, theirs.Modified.UtcDateTime);
            if (!OperatingSystem.IsWindows() && theirs.Mode != 0) File.SetUnixFileMode(temp, (UnixFileMode)(theirs.Mode & 0x1FF));
            var ours = index.Get(theirs.Path);
            if (ours is not null && !MatchesDisk(ours, target)) return false; // edited while we built: keep the edit
            if (ours is null && File.Exists(target)) return false; // a new local file the scanner has not seen yet
            File.Move(temp, target, overwrite: true);
            AtomicFile.FsyncFolder(folder);
            foreach (var chunk in theirs.Chunks) TryDelete(CachePath(chunk.Hash));
            return true;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private async Task<byte[]> FetchVerifiedAsync(SyncChunk chunk, IChunkSource source, CancellationToken cancellationToken)
    {
        var cached = CachePath(chunk.Hash);
        if (File.Exists(cached))
        {
            var bytes = await File.ReadAllBytesAsync(cached, cancellationToken).ConfigureAwait(false);
            if (bytes.Length == chunk.Size && Blake3Hash.Hex(bytes) == chunk.Hash) return bytes;
        }
        var fetched = await source.FetchAsync(chunk.Hash, chunk.Size, cancellationToken).ConfigureAwait(false);
        if (fetched.Length != chunk.Size || Blake3Hash.Hex(fetched) != chunk.Hash)
            throw new DreamException("SyncChunkMismatch", DreamErrorKind.SecurityError, $"A chunk the peer sent does not hash to {chunk.Hash[..16]}…; refused.");
        AtomicFile.WriteAllBytes(cached, fetched, overwrite: true);
        return fetched;
    }

    /// <summary>The chunk from any local file that holds it, verified by hash; null when none does any more.</summary>
    private byte[]? ReadLocal(SyncChunk chunk)
    {
        foreach (var (path, offset, size) in index.PlacesOf(chunk.Hash))
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

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
