using System.Net;

namespace Dreamwell.Node.Discovery;

/// <summary>
/// A node seen on the link. Discovery proves nothing about identity: anyone can announce any QuantumId,
/// so a discovered peer is never trusted; only the Noise handshake against a pinned key is.
/// </summary>
public sealed record DiscoveredPeer(
    string InstanceName,
    string QuantumId,
    string Name,
    IPAddress Address,
    int Port,
    int ProtocolVersion,
    DateTimeOffset LastSeen,
    DateTimeOffset ExpiresAt)
{
    /// <summary>Always false: discovery never establishes trust (docs/protocol.md, trust rule).</summary>
    public bool Trusted => false;
}
