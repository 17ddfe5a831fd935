using System.Net;

namespace Dreamwell.Node;

/// <summary>How a <see cref="TesseractNode"/> starts. Port 0 asks the OS for a free port (tests).</summary>
public sealed record TesseractOptions
{
    public const int DefaultControlPort = 9617;
    public const int DefaultPeerPort = 9618;

    /// <summary>The golden-ratio heartbeat of the issue, in milliseconds.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromMilliseconds(1618);

    public string? Name { get; init; }
    public int ControlPort { get; init; } = DefaultControlPort;
    public int PeerPort { get; init; } = DefaultPeerPort;

    /// <summary>Must be a loopback address: local control is never exposed to the network.</summary>
    public IPAddress ControlAddress { get; init; } = IPAddress.Loopback;

    public IPAddress PeerAddress { get; init; } = IPAddress.Loopback;
    public TimeSpan HeartbeatInterval { get; init; } = DefaultHeartbeatInterval;

    /// <summary>A link that hears nothing (no heartbeat) for this long is closed.</summary>
    public TimeSpan? SilenceTimeout { get; init; }

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Accept Send-DreamFile from any connected peer, not only friends (tesseracts.json).</summary>
    public bool AcceptFilesFromAnyone { get; init; }

    /// <summary>Called for every node event (link up, heartbeat, refusal…); must not block.</summary>
    public Action<TesseractEvent>? OnEvent { get; init; }

    internal TimeSpan EffectiveSilenceTimeout => SilenceTimeout ?? TimeSpan.FromTicks(Math.Max(HeartbeatInterval.Ticks * 5, TimeSpan.FromSeconds(5).Ticks));
}
