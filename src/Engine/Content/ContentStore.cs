using Blake3;
using Dreamwell.Formats;

namespace Dreamwell.Content;

/// <summary>
/// The local content-addressed store in $DREAMWELL_HOME/content: files are split with FastCDC, each chunk
/// kept once under its BLAKE3 hash, and an SQLite index maps published names to their chunk lists.
/// Restores verify every chunk and the whole-content hash before the output appears (AtomicFile).
/// </summary>
public sealed class ContentStore : IDisposable
{
    public const string FolderName = "content";
    private readonly ContentIndex _index;
    private readonly ChunkFolder _chunks;

    private ContentStore(string root)
    {
        Root = root;
        Directory.CreateDirectory(root);
        _chunks = new ChunkFolder(Path.Combine(root, "chunks"));
        _index = new ContentIndex(Path.Combine(root, "index.db"));
    }

    public string Root { get; }

    public static ContentStore Open(DreamHome home)
    {
        home.Ensure();
        return new ContentStore(Path.Combine(home.Path, FolderName));
    }

    /// <summary>Where a chunk lives on disk (for tools and tests that inspect the store).</summary>
    public string ChunkPath(string hash) => _chunks.PathOf(hash);

    public IReadOnlyList<ContentItem> List() => _index.List();

    public ContentItem? Find(string name) => _index.Find(ContentName.Validate(name))?.Item;

    /// <summary>The chunk hashes of an item, in order.</summary>
    public IReadOnlyList<string> ChunksOf(string name) =>
        _index.Find(ContentName.Validate(name))?.Chunks ?? throw NotFound(name);

    /// <summary>Chunks referenced by at least one item, and their bytes: what the store holds after dedup.</summary>
    public (long Chunks, long Bytes) Totals() => _index.ChunkTotals();

    public PublishResult Publish(string sourcePath, string name, IProgress<DreamProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ContentName.Validate(name);
        using var input = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var total = input.Length;
        if (total > ContentLimits.MaxItemBytes)
            throw TooLarge(sourcePath, $"it is {total} bytes, the limit is {ContentLimits.MaxItemBytes}");
        var chunks = new List<(string Hash, int Size)>();
        var seen = new HashSet<string>();
        int newChunks = 0;
        long newBytes = 0;
        using var whole = Hasher.New();
        var length = FastCdc.Split(input, (offset, chunk) =>
        {
            if (chunks.Count == ContentLimits.MaxChunks)
                throw TooLarge(sourcePath, $"it splits into more than {ContentLimits.MaxChunks} chunks");
            whole.Update(chunk);
            var hash = Blake3Hash.Hex(chunk);
            chunks.Add((hash, chunk.Length));
            if (seen.Add(hash) && !(_index.HasChunk(hash) && _chunks.IsIntact(hash, chunk.Length)))
            {
                _chunks.Write(hash, chunk);
                newChunks++;
                newBytes += chunk.Length;
            }
            progress?.Report(new DreamProgress("Publishing", name, offset + chunk.Length, total));
        }, cancellationToken);
        var hashBytes = new byte[Blake3Hash.Size];
        whole.Finalize(hashBytes);
        var item = new ContentItem(name, length, Blake3Hash.ToHex(hashBytes), chunks.Count, DateTimeOffset.UtcNow);
        _index.Put(item, chunks);
        return new PublishResult(item, newChunks, newBytes);
    }

    /// <summary>Writes an item to <paramref name="destination"/>; every chunk and the whole content are verified first.</summary>
    public RestoreResult Restore(string name, string destination, bool overwrite, IProgress<DreamProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var found = _index.Find(ContentName.Validate(name)) ?? throw NotFound(name);
        var (item, hashes) = found;
        AtomicFile.Write(destination, output =>
        {
            using var whole = Hasher.New();
            long done = 0;
            foreach (var hash in hashes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var size = _index.ChunkSize(hash) ?? throw new DreamException("ContentIndexCorrupt", DreamErrorKind.InvalidData,
                    $"Item '{name}' names chunk {hash}, which the index does not hold.");
                var bytes = _chunks.ReadVerified(hash, size);
                whole.Update(bytes);
                output.Write(bytes);
                done += bytes.Length;
                progress?.Report(new DreamProgress("Restoring", name, done, item.Size));
            }
            var actual = new byte[Blake3Hash.Size];
            whole.Finalize(actual);
            if (done != item.Size || Blake3Hash.ToHex(actual) != item.ContentHash)
                throw new DreamException("ContentCorrupt", DreamErrorKind.InvalidData,
                    $"Item '{name}' reassembles to {done} bytes hashing {Blake3Hash.ToHex(actual)}, but was published as {item.Size} bytes hashing {item.ContentHash}. Nothing was written.");
        }, overwrite);
        return new RestoreResult(item, Path.GetFullPath(destination), hashes.Count + 1);
    }

    /// <summary>An item and its chunk list with sizes, in order: what a peer's observe is answered with.</summary>
    public (ContentItem Item, IReadOnlyList<(string Hash, int Size)> Chunks) ManifestOf(string name)
    {
        var (item, hashes) = _index.Find(ContentName.Validate(name)) ?? throw NotFound(name);
        var chunks = new List<(string Hash, int Size)>(hashes.Count);
        foreach (var hash in hashes)
            chunks.Add((hash, (int)(_index.ChunkSize(hash) ?? throw new DreamException("ContentIndexCorrupt", DreamErrorKind.InvalidData,
                $"Item '{name}' names chunk {hash}, which the index does not hold."))));
        return (item, chunks);
    }

    /// <summary>A chunk's bytes, verified against its hash and size (ChunkMissing / ChunkCorrupt otherwise).</summary>
    public byte[] ReadChunk(string hash, int size) => _chunks.ReadVerified(hash, size);

    /// <summary>True when the chunk is on disk and verifies: a fetch need not ask a peer for it.</summary>
    public bool HoldsChunk(string hash, int size) => _chunks.IsIntact(hash, size);

    /// <summary>Keeps a chunk fetched from a peer; the bytes must hash to <paramref name="hash"/>.</summary>
    public void PutChunk(string hash, ReadOnlySpan<byte> bytes)
    {
        if (Blake3Hash.Hex(bytes) != hash)
            throw new DreamException("ChunkCorrupt", DreamErrorKind.InvalidData, $"Refusing to store {bytes.Length} bytes as chunk {hash}: they hash differently.");
        _chunks.Write(hash, bytes);
    }

    /// <summary>
    /// Writes content from chunks this store holds (a fetched manifest) to <paramref name="destination"/>, verifying every
    /// chunk and the whole-content hash before the file appears.
    /// </summary>
    public int Assemble(IReadOnlyList<(string Hash, int Size)> chunks, long size, string contentHash, string destination, bool overwrite, CancellationToken cancellationToken = default)
    {
        AtomicFile.Write(destination, output => Assemble(chunks, size, contentHash, output, cancellationToken), overwrite);
        return chunks.Count + 1;
    }

    /// <summary>Streams verified content from held chunks into <paramref name="output"/>; throws ContentCorrupt on a whole-hash mismatch.</summary>
    public void Assemble(IReadOnlyList<(string Hash, int Size)> chunks, long size, string contentHash, Stream output, CancellationToken cancellationToken = default)
    {
        using var whole = Hasher.New();
        long done = 0;
        foreach (var (hash, chunkSize) in chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bytes = _chunks.ReadVerified(hash, chunkSize);
            whole.Update(bytes);
            output.Write(bytes);
            done += bytes.Length;
        }
        var actual = new byte[Blake3Hash.Size];
        whole.Finalize(actual);
        if (done != size || Blake3Hash.ToHex(actual) != contentHash)
            throw new DreamException("ContentCorrupt", DreamErrorKind.InvalidData,
                $"The chunks reassemble to {done} bytes hashing {Blake3Hash.ToHex(actual)}, but the manifest says {size} bytes hashing {contentHash}. Nothing was written.");
    }

    private static DreamException NotFound(string name) =>
        new("ContentNotFound", DreamErrorKind.NotFound, $"No item named '{name}' is published in this store; Get-DreamContentIndex lists them.");

    private static DreamException TooLarge(string path, string why) =>
        new("ContentTooLarge", DreamErrorKind.LimitExceeded, $"'{path}' cannot be published: {why}.");

    public void Dispose() => _index.Dispose();
}
