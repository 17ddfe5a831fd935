namespace Dreamwell.Content;

/// <summary>
/// Content a node serves to peers besides its store (the files of the signals it publishes): a peer's observe
/// falls back to these when the store has no such name, and its wants to their chunks. Every chunk is verified by
/// hash before it is served.
/// </summary>
internal interface IContentSource
{
    (ContentItem Item, IReadOnlyList<(string Hash, int Size)> Chunks)? Manifest(string name);

    byte[]? ReadChunk(string hash, int size);
}
