namespace Dreamwell.Node;

/// <summary>What a running node answers to status.</summary>
public sealed record TesseractStatus(
    string Name,
    string QuantumId,
    int ProcessId,
    int ControlPort,
    int PeerPort,
    DateTimeOffset Started,
    TimeSpan Uptime,
    int ConnectedPeers,
    int KnownPeers,
    long ChainLength,
    string HeadHash)
{
    /// <summary>"Off", "Loopback 127.0.0.1:9619", "Lan ADDRESS:PORT", or "Unavailable: why" (discovery is optional).</summary>
    public string Discovery { get; init; } = "Off";

    /// <summary>The health model fed with this node's own observations (docs/health-model.md §7); ρ via Health.ToDensityMatrix().</summary>
    public NodeHealth? Health { get; init; }

    /// <summary>F = T·D(ρ‖σ_ref) of <see cref="Health"/>, in nats at T = 1.</summary>
    public double? FreeEnergy => Health?.FreeEnergy;

    /// <summary>von Neumann entropy of ρ (nats).</summary>
    public double? Entropy => Health?.Entropy;
}

/// <summary>One peer link as the node sees it.</summary>
public sealed record TesseractPeer(
    string Label,
    string QuantumId,
    string State,
    string Direction,
    string Address,
    DateTimeOffset? LastSeen,
    long ChainLength,
    string HeadHash,
    long Heartbeats,
    string? Reason,
    string Kind = "",
    string? DelegatedBy = null,
    string? Scopes = null,
    DateTimeOffset? DelegationExpires = null,
    double Trust = 0);

/// <summary>The contents of $DREAMWELL_HOME/tesseract.json while a node runs.</summary>
public sealed record TesseractInfo(int Pid, string Name, string QuantumId, int ControlPort, int PeerPort, DateTimeOffset Started);

/// <summary>Link states a <see cref="TesseractPeer"/> reports.</summary>
public static class PeerStates
{
    public const string Handshaking = "Handshaking";
    public const string Connected = "Connected";
    public const string Closed = "Closed";
    public const string Refused = "Refused";
    /// <summary>Heard on the link by discovery, never linked: an untrusted address to dial.</summary>
    public const string Discovered = "Discovered";
}
