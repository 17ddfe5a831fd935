namespace Dreamwell.Quantum;

/// <summary>
/// One reading of one service, as a node's probes report it. Settable properties (with a
/// parameterless constructor) so PowerShell can build one from a hashtable:
/// <c>[Dreamwell.Quantum.ServiceObservation]@{ Service = 'FQTP'; LatencyMs = 12 }</c>.
/// </summary>
public sealed record ServiceObservation
{
    public TesseractService Service { get; init; }

    /// <summary>Whether the service answered its health probe at all.</summary>
    public bool Up { get; init; } = true;

    /// <summary>Probe round-trip latency in milliseconds (≥ 0).</summary>
    public double LatencyMs { get; init; }

    /// <summary>Fraction of recent requests that failed, in [0, 1].</summary>
    public double ErrorRate { get; init; }

    /// <summary>Work items waiting in the service's queue (≥ 0).</summary>
    public int QueueDepth { get; init; }

    /// <summary>Connected peers; used for the Peers service only.</summary>
    public int PeerCount { get; init; }

    internal void Validate()
    {
        if (!Enum.IsDefined(Service))
            throw new DreamException("InvalidObservation", DreamErrorKind.InvalidArgument, $"Unknown service '{Service}'.");
        if (!(LatencyMs >= 0) || !double.IsFinite(LatencyMs))
            throw new DreamException("InvalidObservation", DreamErrorKind.InvalidArgument, $"{Service}: LatencyMs must be a finite number ≥ 0; got {LatencyMs}.");
        if (!(ErrorRate >= 0 && ErrorRate <= 1))
            throw new DreamException("InvalidObservation", DreamErrorKind.InvalidArgument, $"{Service}: ErrorRate must be in [0, 1]; got {ErrorRate}.");
        if (QueueDepth < 0)
            throw new DreamException("InvalidObservation", DreamErrorKind.InvalidArgument, $"{Service}: QueueDepth must be ≥ 0; got {QueueDepth}.");
        if (PeerCount < 0)
            throw new DreamException("InvalidObservation", DreamErrorKind.InvalidArgument, $"{Service}: PeerCount must be ≥ 0; got {PeerCount}.");
    }
}
