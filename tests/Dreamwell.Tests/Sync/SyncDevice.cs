using Dreamwell.Sync;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Sync;

/// <summary>One device of an in-process sync test: a folder, its index and chunk cache in a temp home, a device id.</summary>
internal sealed class SyncDevice : IDisposable
{
    private readonly TempHome _temp = new();
    private long _seenOfPeer;

    public SyncDevice(string deviceId)
    {
        DeviceId = deviceId;
        Folder = Path.Combine(_temp.Root, "folder");
        Directory.CreateDirectory(Folder);
        Index = new SyncIndex(Path.Combine(_temp.Root, "state", "index.db"));
    }

    public string DeviceId { get; }
    public string Folder { get; }
    public SyncIndex Index { get; }
    public string Outside => _temp.Scratch;
    public string ChunkCache => Path.Combine(_temp.Root, "state", "chunks");

    public string PathOf(string relative) => Path.Combine(Folder, relative.Replace('/', Path.DirectorySeparatorChar));

    public void Write(string relative, string text, DateTime? modified = null) => Write(relative, System.Text.Encoding.UTF8.GetBytes(text), modified);

    public void Write(string relative, byte[] bytes, DateTime? modified = null)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, modified ?? DateTime.UtcNow);
    }

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    public ScanResult Scan() => FolderScanner.Scan(Folder, Index, DeviceId, IgnorePatterns.Load(Folder));

    public SyncApplier Applier() => new(Folder, Index, DeviceId, IgnorePatterns.Load(Folder), ChunkCache);

    /// <summary>Pulls what the peer changed since the last pull.</summary>
    public async Task<ApplyResult> PullFromAsync(SyncDevice peer, IChunkSource? source = null)
    {
        var changes = peer.Index.ChangedSince(_seenOfPeer).ToList();
        var result = await Applier().ApplyAsync(changes, source ?? new FolderChunkSource(peer));
        if (changes.Count > 0 && result.Deferred.Count == 0) _seenOfPeer = changes.Max(c => c.Sequence);
        return result;
    }

    /// <summary>Scans and pulls both ways until neither side changes (at most a few rounds).</summary>
    public static async Task<(ApplyResult ToA, ApplyResult ToB)> ConvergeAsync(SyncDevice a, SyncDevice b)
    {
        ApplyResult? toA = null, toB = null;
        for (var round = 0; round < 6; round++)
        {
            var scanned = a.Scan().Changed + a.Scan().Deleted + b.Scan().Changed + b.Scan().Deleted;
            var pullA = await a.PullFromAsync(b);
            var pullB = await b.PullFromAsync(a);
            toA = Add(toA, pullA);
            toB = Add(toB, pullB);
            if (scanned == 0 && Quiet(pullA) && Quiet(pullB)) break;
        }
        return (toA!, toB!);
    }

    private static bool Quiet(ApplyResult r) => r.FilesReceived == 0 && r.Deleted == 0 && r.Conflicts == 0 && r.Deferred.Count == 0;

    private static ApplyResult Add(ApplyResult? x, ApplyResult y) => x is null ? y : new ApplyResult(
        x.FilesReceived + y.FilesReceived, x.Deleted + y.Deleted, x.Conflicts + y.Conflicts, x.BytesFetched + y.BytesFetched,
        x.BytesReused + y.BytesReused, x.ChunksFetched + y.ChunksFetched, x.ChunksReused + y.ChunksReused, [.. x.Deferred, .. y.Deferred]);

    /// <summary>Live files of the folder (relative path → BLAKE3), sync temp files excluded.</summary>
    public SortedDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Folder, path).Replace(Path.DirectorySeparatorChar, '/');
            files[relative] = Blake3Hash.Hex(File.ReadAllBytes(path));
        }
        return files;
    }

    public void Dispose()
    {
        Index.Dispose();
        _temp.Dispose();
    }
}

/// <summary>Serves chunks out of another device's folder, as a peer would, and counts what it served.</summary>
internal sealed class FolderChunkSource(SyncDevice peer) : IChunkSource
{
    private readonly object _gate = new();

    public long BytesServed { get; private set; }

    public Task<byte[]> FetchAsync(string hash, int size, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(Fetch(hash));
    }

    private byte[] Fetch(string hash)
    {
        foreach (var (path, offset, length) in peer.Index.PlacesOf(hash))
        {
            using var input = File.OpenRead(peer.PathOf(path));
            if (input.Length < offset + length) continue;
            input.Position = offset;
            var bytes = new byte[length];
            input.ReadExactly(bytes);
            BytesServed += bytes.Length;
            return bytes;
        }
        throw new IOException($"The peer has no chunk {hash[..16]}.");
    }
}
