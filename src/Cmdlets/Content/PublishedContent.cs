namespace Dreamwell.Cmdlets;

/// <summary>
/// What Publish-DreamContent returns: the address to fetch the item by (text in the canonical qttps:φ// spelling,
/// so it binds to Get-DreamContent -Address down the pipeline), what was stored, and the signed receipt.
/// </summary>
public sealed record PublishedContent(
    string Address,
    string Name,
    string ContentHash,
    long Size,
    int ChunkCount,
    int NewChunks,
    long NewBytes,
    DreamReceipt Receipt);
