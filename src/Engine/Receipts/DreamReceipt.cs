namespace Dreamwell;

public enum IntegrityVerdict
{
    Verified,
    Failed,
    NotChecked,
}

/// <summary>
/// Proof of one operation: what went in and came out (BLAKE3), how it was checked, how long it took,
/// and where it sits in the signer's seal chain. The signature is that chain entry's Ed25519 signature.
/// </summary>
public sealed record DreamReceipt
{
    public required string Operation { get; init; }
    public string? Path { get; init; }
    public required string InputHash { get; init; }
    public required string OutputHash { get; init; }
    public long BytesIn { get; init; }
    public long BytesOut { get; init; }
    public IntegrityVerdict Integrity { get; init; }
    public int Verifications { get; init; }
    public TimeSpan Duration { get; init; }
    public long ChainIndex { get; init; }
    public required string Signature { get; init; }
    public required string EntryHash { get; init; }
    public required string Signer { get; init; }
    public DateTimeOffset Time { get; init; }

    /// <summary>Duration as a share of one 60 fps frame (16.67 ms): 1.0 means the operation took a whole frame.</summary>
    public double FrameShare => Duration.TotalMilliseconds / (1000.0 / 60.0);

    /// <summary>BytesOut / BytesIn; below 1 means the output is smaller.</summary>
    public double Ratio => BytesIn == 0 ? 0 : (double)BytesOut / BytesIn;
}

/// <summary>What an operation reports; the book turns it into a signed, chained receipt.</summary>
public sealed record ReceiptDraft(
    string Operation,
    string? Path,
    string InputHash,
    string OutputHash,
    long BytesIn,
    long BytesOut,
    IntegrityVerdict Integrity,
    int Verifications,
    TimeSpan Duration);
