namespace Dreamwell.Node.Admission;

/// <summary>
/// When each direction of a peer link is rekeyed (Noise Rekey(), section 11.3) and when a peer that does not
/// rekey is cut. A sender rekeys after <see cref="AfterMessages"/> messages or <see cref="AfterTime"/>, whichever
/// comes first; a receiver ends the link when the peer passes <see cref="HardMessages"/> or <see cref="HardTime"/>
/// without a rekey. Defaults in docs/protocol.md, "Rekey".
/// </summary>
public sealed record RekeyOptions
{
    public long AfterMessages { get; init; } = 1L << 20;
    public TimeSpan AfterTime { get; init; } = TimeSpan.FromMinutes(10);
    public long HardMessages { get; init; } = 1L << 21;
    public TimeSpan HardTime { get; init; } = TimeSpan.FromMinutes(20);

    public static RekeyOptions Default { get; } = new();
}
