namespace Dreamwell.Content;

/// <summary>
/// Chunk files named by their BLAKE3 hash, fanned out as chunks/ab/cd/abcd…: two levels of 256 folders
/// keep any one folder small. Every read is verified against the name; a chunk never comes back wrong.
/// </summary>
internal sealed class ChunkFolder(string root)
{
    public string Root { get; } = root;

    public string PathOf(string hash) => Path.Combine(Root, hash[..2], hash[2..4], hash);

    /// <summary>True when the chunk file is there and verifies; a damaged one is then rewritten by the caller.</summary>
    public bool IsIntact(string hash, long size)
    {
        try
        {
            ReadVerified(hash, size);
            return true;
        }
        catch (DreamException)
        {
            return false;
        }
    }

    public void Write(string hash, ReadOnlySpan<byte> chunk) => AtomicFile.WriteAllBytes(PathOf(hash), chunk);

    /// <summary>Reads a chunk and checks its size and hash; anything else is ChunkMissing or ChunkCorrupt.</summary>
    public byte[] ReadVerified(string hash, long expectedSize)
    {
        var path = PathOf(hash);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new DreamException("ChunkMissing", DreamErrorKind.InvalidData, $"Chunk {hash} is missing from the store ('{path}').");
            if (info.Length != expectedSize)
                throw Corrupt(hash, path, $"it is {info.Length} bytes, the index says {expectedSize}");
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new DreamException("ChunkMissing", DreamErrorKind.InvalidData, $"Chunk {hash} is missing from the store ('{path}').");
        }
        if (bytes.Length != expectedSize) throw Corrupt(hash, path, $"it is {bytes.Length} bytes, the index says {expectedSize}");
        var actual = Blake3Hash.Hex(bytes);
        if (actual != hash) throw Corrupt(hash, path, $"its content hashes to {actual}");
        return bytes;
    }

    private static DreamException Corrupt(string hash, string path, string why) =>
        new("ChunkCorrupt", DreamErrorKind.InvalidData, $"Chunk {hash} is corrupt: {why} ('{path}'). Nothing was written; publish the item again to repair the chunk.");
}
