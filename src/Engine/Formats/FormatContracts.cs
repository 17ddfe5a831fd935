namespace Dreamwell.Formats;

/// <summary>The self-verifying formats, detected by their 4-byte magic.</summary>
public enum DreamFormat
{
    Dreamfile,  // DRFL
    QPort,      // QPRT
    Delta,      // QDLT
    Fractal,    // FRCL
    Fibo,       // FIBO
}

/// <summary>Options for packing. Level follows zstd (1..22; negative = fast).</summary>
public sealed record PackOptions
{
    public int? Level { get; init; }
    /// <summary>0 = all cores.</summary>
    public int Threads { get; init; }
    /// <summary>QPort chunk size in bytes (power of two, 64 KiB..16 MiB); null = 4 MiB.</summary>
    public int? ChunkSize { get; init; }
}

/// <summary>What a pack or delta wrote. Hashes are BLAKE3, lowercase hex.</summary>
public sealed record PackResult(
    DreamFormat Format,
    string OutputPath,
    string InputHash,
    string OutputHash,
    long BytesIn,
    long BytesOut,
    int Verifications);

/// <summary>What an open restored. InputHash is the container's hash, OutputHash the restored content's.</summary>
public sealed record OpenResult(
    DreamFormat Format,
    string OutputPath,
    string InputHash,
    string OutputHash,
    long BytesIn,
    long BytesOut,
    int Verifications);

/// <summary>A verify-only verdict. Never throws for bad data: the failure is described here.</summary>
public sealed record VerifyResult(
    string Path,
    bool IsValid,
    DreamFormat? Format,
    string? FirstFailure,
    string? FailureId,
    long? FailureOffset,
    int Verifications);

/// <summary>Header facts about a container, read without decoding the payload.</summary>
public sealed record ContainerInfo(
    string Path,
    DreamFormat Format,
    int Version,
    long ContainerBytes,
    long ContentBytes,
    string ContentHash,
    int EntryCount,
    int ChunkCount,
    int Level,
    IReadOnlyList<ContainerEntry> Entries);

public sealed record ContainerEntry(string Name, long Size, string Hash, int Mode, DateTimeOffset Modified, bool IsDirectory)
{
    /// <summary>For a symbolic link stored in a fractal archive: its (relative, in-tree) target; otherwise null.</summary>
    public string? LinkTarget { get; init; }
}
