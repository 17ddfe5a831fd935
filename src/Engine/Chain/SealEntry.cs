namespace Dreamwell.Chain;

/// <summary>One link of the seal chain: signed by the chain owner, hashed with BLAKE3.</summary>
public sealed record SealEntry(
    long Index,
    string PreviousHash,
    DateTimeOffset Time,
    string Operation,
    IReadOnlyList<string> Subjects,
    string Payload,
    string Signature,
    string Hash)
{
    public long FileOffset { get; init; }
}
