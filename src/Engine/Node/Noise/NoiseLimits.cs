namespace Dreamwell.Node.Noise;

/// <summary>Sizes fixed by the Noise specification (revision 34) for the 25519 / ChaChaPoly suites.</summary>
public static class NoiseLimits
{
    /// <summary>Section 3: every Noise message, handshake or transport, is at most 65535 bytes.</summary>
    public const int MaxMessageLength = 65535;

    /// <summary>Poly1305 authentication tag.</summary>
    public const int TagLength = 16;

    /// <summary>Largest plaintext that still fits one transport message.</summary>
    public const int MaxPlaintextLength = MaxMessageLength - TagLength;

    /// <summary>X25519 public keys and DH outputs.</summary>
    public const int DhLength = 32;

    public const int KeyLength = 32;
}
