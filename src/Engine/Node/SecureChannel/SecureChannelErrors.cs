namespace Dreamwell.Node.Secure;

/// <summary>Stable error ids of the secure channel; every refusal of an untrusted peer carries one.</summary>
public static class SecureChannelErrors
{
    /// <summary>The peer broke off, or sent bytes that are not a libp2p Noise handshake.</summary>
    public const string HandshakeFailed = "HandshakeFailed";
    /// <summary>The handshake did not finish within <see cref="SecureChannelOptions.HandshakeTimeout"/>.</summary>
    public const string HandshakeTimeout = "HandshakeTimeout";
    /// <summary>identity_sig does not sign "noise-libp2p-static-key:" + the peer's Noise static key.</summary>
    public const string BadIdentitySignature = "BadIdentitySignature";
    /// <summary>The peer proved an identity other than the one the caller expected.</summary>
    public const string PeerKeyMismatch = "PeerKeyMismatch";
    /// <summary>The NoiseHandshakePayload or its PublicKey is not valid protobuf of the expected shape.</summary>
    public const string BadHandshakePayload = "BadHandshakePayload";
    /// <summary>The identity key is not Ed25519 (RSA, secp256k1 and ECDSA peers are not accepted).</summary>
    public const string UnsupportedIdentityKey = "UnsupportedIdentityKey";
    /// <summary>A frame would exceed 65535 bytes on the wire.</summary>
    public const string FrameTooLarge = Noise.NoiseErrors.MessageTooLarge;
    /// <summary>A frame failed authentication: tampered, replayed, reordered or from another session.</summary>
    public const string DecryptFailed = Noise.NoiseErrors.DecryptFailed;
    /// <summary>The connection ended in the middle of a frame.</summary>
    public const string TruncatedFrame = "TruncatedFrame";
    /// <summary>The connection was disposed or has already failed; it cannot be used again.</summary>
    public const string ChannelClosed = "ChannelClosed";

    internal static DreamException Handshake(string message, Exception? inner = null) =>
        new(HandshakeFailed, DreamErrorKind.InvalidData, message, inner);

    internal static DreamException Payload(string why) =>
        new(BadHandshakePayload, DreamErrorKind.InvalidData, $"The peer's handshake payload is malformed: {why}.");
}
