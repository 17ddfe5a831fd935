using System.Net;
using Dreamwell.Node.Discovery;

namespace Dreamwell.Node;

/// <summary>How a <see cref="TesseractNode"/> starts. Port 0 asks the OS for a free port (tests).</summary>
public sealed record TesseractOptions
{
    public const int DefaultControlPort = 9617;
    public const int DefaultPeerPort = 9618;
    /// <summary>The private mDNS port Start-Tesseract uses (docs/protocol.md, "Discovery on a node").</summary>
    public const int DefaultDiscoveryPort = DiscoveryOptions.PrivatePort;

    /// <summary>The golden-ratio heartbeat of the issue, in milliseconds.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromMilliseconds(1618);

    public string? Name { get; init; }
    public int ControlPort { get; init; } = DefaultControlPort;
    public int PeerPort { get; init; } = DefaultPeerPort;

    /// <summary>Must be a loopback address: local control is never exposed to the network.</summary>
    public IPAddress ControlAddress { get; init; } = IPAddress.Loopback;

    public IPAddress PeerAddress { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// mDNS / DNS-SD announcing and browsing; null (the default for embedded nodes) turns discovery off.
    /// Start-Tesseract passes port 9619 pinned to loopback unless told otherwise.
    /// </summary>
    public DiscoveryOptions? Discovery { get; init; }

    public TimeSpan HeartbeatInterval { get; init; } = DefaultHeartbeatInterval;

    /// <summary>A link that hears nothing (no heartbeat) for this long is closed.</summary>
    public TimeSpan? SilenceTimeout { get; init; }

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Connection limits, the adaptive puzzle, friends' tickets and per-peer message rates (docs/protocol.md, "Admission under load").</summary>
    public Admission.LoadOptions Load { get; init; } = Admission.LoadOptions.Default;

    /// <summary>When peer links rekey, and when a peer that does not is cut (docs/protocol.md, "Rekey").</summary>
    public Admission.RekeyOptions Rekey { get; init; } = Admission.RekeyOptions.Default;

    /// <summary>The clock delegation expiry, trust temperatures and ShardBlade quarantines read (tests move it; the rest uses real time).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Services added after <see cref="NodeServices.Create"/>'s: a seam for tests that need a peer request of their own.</summary>
    internal Func<TesseractNode, IEnumerable<PeerService>>? ExtraServices { get; init; }
    /// <summary>Accept Send-DreamFile from any connected peer, not only friends (tesseracts.json).</summary>
    public bool AcceptFilesFromAnyone { get; init; }

    /// <summary>Called for every node event (link up, heartbeat, refusal…); must not block.</summary>
    public Action<TesseractEvent>? OnEvent { get; init; }

    internal TimeSpan EffectiveSilenceTimeout => SilenceTimeout ?? TimeSpan.FromTicks(Math.Max(HeartbeatInterval.Ticks * 5, TimeSpan.FromSeconds(5).Ticks));
}
