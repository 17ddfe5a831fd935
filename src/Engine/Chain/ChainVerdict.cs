namespace Dreamwell.Chain;

public enum ChainProblem
{
    None,
    BadHeader,
    Truncated,
    Edited,
    BadSignature,
    Reordered,
    Fork,
    BrokenLink,
    TailTruncated,
    Malformed,
}

/// <summary>The result of Test-SealChain: valid, or the first bad index and what is wrong there.</summary>
public sealed record ChainVerdict(
    string Path,
    bool IsValid,
    long Length,
    long? FirstBadIndex,
    ChainProblem Problem,
    string? Detail,
    string HeadHash,
    int Verifications);
