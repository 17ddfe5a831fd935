namespace Dreamwell.Node.Secure;

/// <summary>How a handshake is bounded and, optionally, which peer it must reach.</summary>
public sealed record SecureChannelOptions
{
    public static SecureChannelOptions Default { get; } = new();

    /// <summary>The whole handshake (three messages) must finish within this time.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When set, a peer proving any other Ed25519 key is refused with PeerKeyMismatch.</summary>
    public byte[]? ExpectedRemoteKey { get; init; }
}
