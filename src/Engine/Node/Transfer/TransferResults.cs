namespace Dreamwell.Node;

/// <summary>What a fetch from a peer's store did: the verified item, what crossed the link, where it went, and our receipt.</summary>
public sealed record ContentFetchResult(
    string Address,
    string Peer,
    string PeerQuantumId,
    string Name,
    long Size,
    string ContentHash,
    int ChunkCount,
    int ChunksFetched,
    long BytesFetched,
    string? Destination,
    byte[]? Content,
    DreamReceipt Receipt);

/// <summary>
/// What one Send-DreamFile did: the content hash both sides agree on, how many bytes crossed the link this time
/// (less than Size after a resume), the name the receiver filed it under, our receipt and the receiver's.
/// </summary>
public sealed record FileTransferResult(
    string TransferId,
    string Name,
    string Target,
    string TargetQuantumId,
    long Size,
    string ContentHash,
    int ChunkCount,
    int ChunksSent,
    int ChunksResumed,
    long BytesSent,
    string StoredAs,
    DreamReceipt Receipt,
    PeerReceipt PeerReceipt);

/// <summary>The receiver's receipt as it reported it: the seal-chain entry that records the file it filed.</summary>
public sealed record PeerReceipt(string Signer, long ChainIndex, string EntryHash, string Signature, string ContentHash);

/// <summary>One running transfer or fetch as the transfers LQTP method reports it (progress for Write-Progress).</summary>
public sealed record TransferProgress(string TransferId, string Direction, string Peer, string Name, long Size, long BytesDone, long BytesCrossed);
