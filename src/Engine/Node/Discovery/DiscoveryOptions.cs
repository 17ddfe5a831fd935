using System.Net;

namespace Dreamwell.Node.Discovery;

/// <summary>
/// Where discovery speaks mDNS. The defaults keep every packet on loopback: LAN discovery is opt-in by
/// setting <see cref="InterfaceAddress"/> to the address of a LAN interface (docs/protocol.md, "Discovery").
/// </summary>
public sealed record DiscoveryOptions
{
    /// <summary>The standard mDNS port; <c>Start-Tesseract -DiscoveryPort 9619</c> selects a private group instead.</summary>
    public const int StandardPort = 5353;
    /// <summary>The Dreamwell private discovery port named by the node (issue 5).</summary>
    public const int PrivatePort = 9619;

    /// <summary>IPv4 multicast group; 224.0.0.251 is the mDNS group (RFC 6762), link-local by definition.</summary>
    public IPAddress Group { get; init; } = IPAddress.Parse("224.0.0.251");

    /// <summary>UDP port of the group: 5353 for interop with avahi/Bonjour, 9619 for a private group.</summary>
    public int Port { get; init; } = StandardPort;

    /// <summary>
    /// The only interface packets are sent from and the group is joined on (IP_MULTICAST_IF).
    /// Loopback unless explicitly configured; tests always use loopback.
    /// </summary>
    public IPAddress InterfaceAddress { get; init; } = IPAddress.Loopback;

    /// <summary>IP TTL of outgoing packets. 1 keeps them on the link even if the interface is misconfigured.</summary>
    public int MulticastTtl { get; init; } = 1;

    /// <summary>DNS TTL of announced records (RFC 6762 §10 recommends 120 s for host and SRV/TXT records).</summary>
    public TimeSpan RecordTtl { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How often an announcer repeats its records unasked; half the record TTL by default.</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a browser asks again; peers also refresh when they announce.</summary>
    public TimeSpan QueryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>One answer per question name per this interval (RFC 6762 §6: at most once per second).</summary>
    public TimeSpan MinAnswerInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound on answers sent per second, whatever is asked.</summary>
    public int MaxAnswersPerSecond { get; init; } = 20;

    /// <summary>The DNS-SD service type Dreamwell registers (peer links are FQTP over TCP).</summary>
    public string ServiceType { get; init; } = "_tesseract._tcp.local";

    internal void Validate()
    {
        if (Group.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || Group.GetAddressBytes()[0] is < 224 or > 239)
            throw Invalid($"Group {Group} is not an IPv4 multicast address.");
        if (InterfaceAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw Invalid($"InterfaceAddress {InterfaceAddress} is not an IPv4 address.");
        if (Port is < 1 or > 65535) throw Invalid($"Port {Port} is out of range.");
        if (MulticastTtl is < 1 or > 255) throw Invalid($"MulticastTtl {MulticastTtl} is out of range.");
        if (RecordTtl < TimeSpan.FromSeconds(1)) throw Invalid("RecordTtl must be at least one second.");
        if (AnnounceInterval <= TimeSpan.Zero || QueryInterval <= TimeSpan.Zero) throw Invalid("Intervals must be positive.");
        if (MaxAnswersPerSecond < 1) throw Invalid("MaxAnswersPerSecond must be at least 1.");
    }

    private static DreamException Invalid(string message) => new(DiscoveryErrors.InvalidAnnouncement, DreamErrorKind.InvalidArgument, message);
}
