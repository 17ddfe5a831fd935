namespace Dreamwell.Content;

/// <summary>One published item as the index holds it.</summary>
public sealed record ContentItem(string Name, long Size, string ContentHash, int ChunkCount, DateTimeOffset Published);

/// <summary>What one publish did: the item, and how many of its chunks were not in the store before.</summary>
public sealed record PublishResult(ContentItem Item, int NewChunks, long NewBytes);

/// <summary>What one restore wrote, after every chunk and the whole content were verified.</summary>
public sealed record RestoreResult(ContentItem Item, string Destination, int Verifications);
