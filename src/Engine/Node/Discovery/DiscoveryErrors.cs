namespace Dreamwell.Node.Discovery;

/// <summary>Stable error ids of LAN discovery.</summary>
public static class DiscoveryErrors
{
    /// <summary>An instance name, node name, QuantumId or port that cannot be announced.</summary>
    public const string InvalidAnnouncement = "InvalidDiscoveryAnnouncement";
    /// <summary>An outgoing packet would exceed the 9000-byte mDNS limit.</summary>
    public const string PacketTooLarge = "DiscoveryPacketTooLarge";
    /// <summary>The multicast socket could not be opened or pinned to the configured interface.</summary>
    public const string SocketUnavailable = "DiscoverySocketUnavailable";
}
