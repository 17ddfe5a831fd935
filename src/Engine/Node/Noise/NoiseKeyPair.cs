using NSec.Cryptography;

namespace Dreamwell.Node.Noise;

/// <summary>An X25519 key pair (the Noise "25519" DH functions, section 12.1), backed by NSec.</summary>
public sealed class NoiseKeyPair : IDisposable
{

    private readonly Key _key;

    private NoiseKeyPair(Key key)
    {
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The 32-byte public key as it travels in Noise messages.</summary>
    public byte[] PublicKey { get; }

    /// <summary>GENERATE_KEYPAIR(): a fresh key from the OS random generator.</summary>
    public static NoiseKeyPair Generate() => new(Key.Create(KeyAgreementAlgorithm.X25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>A key pair from a raw 32-byte private key (test vectors, stored keys).</summary>
    public static NoiseKeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != NoiseLimits.DhLength)
            throw new DreamException("NoiseBadKey", DreamErrorKind.InvalidArgument, "An X25519 private key is 32 bytes.");
        return new(Key.Import(KeyAgreementAlgorithm.X25519, privateKey, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
    }

    /// <summary>DH(key_pair, public_key): the raw X25519 output.</summary>
    public byte[] Agree(ReadOnlySpan<byte> remotePublicKey)
    {
        if (remotePublicKey.Length != NoiseLimits.DhLength)
            throw NoiseErrors.Malformed("a public key is not 32 bytes");
        if (!NSec.Cryptography.PublicKey.TryImport(KeyAgreementAlgorithm.X25519, remotePublicKey, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
            throw new DreamException(NoiseErrors.KeyAgreementFailed, DreamErrorKind.SecurityError, "The remote X25519 public key was rejected.");
        // NSec refuses low-order points (an all-zero shared secret); a peer sending one is hostile.
        using var secret = KeyAgreementAlgorithm.X25519.Agree(_key, publicKey, new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport })
            ?? throw new DreamException(NoiseErrors.KeyAgreementFailed, DreamErrorKind.SecurityError, "X25519 produced no shared secret (low-order public key).");
        return secret.Export(SharedSecretBlobFormat.RawSharedSecret);
    }

    public void Dispose() => _key.Dispose();
}
