namespace Dreamwell.Node.Noise;

/// <summary>The two CipherStates a finished handshake yields, named for this side's direction.</summary>
public sealed class NoiseTransport : IDisposable
{
    internal NoiseTransport(CipherState send, CipherState receive, byte[] handshakeHash, bool oneWay)
    {
        Send = send;
        Receive = receive;
        HandshakeHash = handshakeHash;
        IsOneWay = oneWay;
    }

    public CipherState Send { get; }
    public CipherState Receive { get; }

    /// <summary>The final h: identical on both sides; usable for channel binding.</summary>
    public byte[] HandshakeHash { get; }

    /// <summary>For one-way patterns the responder only receives (section 7.4).</summary>
    public bool IsOneWay { get; }

    /// <summary>A transport message: AEAD with empty associated data (section 5.1).</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext)
    {
        ThrowIfTooLarge(plaintext);
        var ciphertext = new byte[plaintext.Length + NoiseLimits.TagLength];
        Send.EncryptWithAd([], plaintext, ciphertext);
        return ciphertext;
    }

    /// <summary>A transport message encrypted into <paramref name="ciphertext"/> (plaintext length + 16 bytes).</summary>
    public void Encrypt(ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        ThrowIfTooLarge(plaintext);
        Send.EncryptWithAd([], plaintext, ciphertext);
    }

    private static void ThrowIfTooLarge(ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.Length > NoiseLimits.MaxPlaintextLength)
            throw new DreamException(NoiseErrors.MessageTooLarge, DreamErrorKind.LimitExceeded, $"A transport message carries at most {NoiseLimits.MaxPlaintextLength} bytes of plaintext.");
    }

    public byte[] Decrypt(ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length > NoiseLimits.MaxMessageLength)
            throw new DreamException(NoiseErrors.MessageTooLarge, DreamErrorKind.LimitExceeded, $"A Noise message may not exceed {NoiseLimits.MaxMessageLength} bytes.");
        return Receive.DecryptWithAd([], ciphertext);
    }

    public void Dispose()
    {
        Send.Dispose();
        Receive.Dispose();
    }
}
