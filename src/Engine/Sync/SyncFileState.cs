namespace Dreamwell.Sync;

/// <summary>
/// One path as a device announces it: what the file is (size, mode, time, chunk hashes) or a tombstone, and
/// its version vector. Paths are relative, '/'-separated, validated by <see cref="SyncPath"/>.
/// </summary>
public sealed record SyncFileState(
    string Path,
    long Size,
    int Mode,
    long ModifiedUnixNs,
    bool Deleted,
    VersionVector Version,
    IReadOnlyList<SyncChunk> Chunks,
    long Sequence = 0)
{
    public DateTimeOffset Modified => DateTimeOffset.UnixEpoch.AddTicks(ModifiedUnixNs / 100);

    /// <summary>Same bytes: equal size and the same chunk hashes in the same order.</summary>
    public bool SameContentAs(SyncFileState other) =>
        Deleted == other.Deleted && Size == other.Size && Chunks.Count == other.Chunks.Count
        && Chunks.Zip(other.Chunks).All(p => p.First.Hash == p.Second.Hash);
}

/// <summary>A content-defined chunk of a file: where it starts, how long it is, and its BLAKE3 hash (hex).</summary>
public sealed record SyncChunk(long Offset, int Size, string Hash);
