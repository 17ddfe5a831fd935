namespace Dreamwell.Node.Admission;

/// <summary>
/// How a node defends itself under load: connection limits, the adaptive client puzzle, resumption tickets for
/// friends and the per-peer message rate. The defaults are the documented ones (docs/protocol.md, "Admission under load").
/// </summary>
public sealed record LoadOptions
{
    /// <summary>Inbound connections at once (handshaking or linked); more are refused or evict an unadmitted handshake.</summary>
    public int MaxConnections { get; init; } = 128;

    /// <summary>Inbound connections at once from one source address.</summary>
    public int MaxConnectionsPerAddress { get; init; } = 32;

    /// <summary>Inbound handshakes (accepted, hello not yet done) at once.</summary>
    public int MaxHandshakesInFlight { get; init; } = 64;

    /// <summary>Inbound handshake attempts per second above which the responder asks for a client puzzle; 0 asks always.</summary>
    public int PuzzleThreshold { get; init; } = 32;

    /// <summary>Leading zero bits asked for just above the threshold.</summary>
    public int PuzzleBaseBits { get; init; } = 12;

    /// <summary>Extra bits for every doubling of the attempt rate over the threshold.</summary>
    public int PuzzleBitsPerDoubling { get; init; } = 2;

    /// <summary>The most bits a responder asks for (and a dialer solves).</summary>
    public int PuzzleMaxBits { get; init; } = 20;

    /// <summary>How long a resumption ticket issued to a friend lets it skip the puzzle.</summary>
    public TimeSpan TicketLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Sustained FQTP messages per second one peer may send (token bucket refill).</summary>
    public double PeerMessagesPerSecond { get; init; } = 20_000;

    /// <summary>Burst of FQTP messages one peer may send at once (token bucket size).</summary>
    public int PeerMessageBurst { get; init; } = 40_000;

    public static LoadOptions Default { get; } = new();
}
