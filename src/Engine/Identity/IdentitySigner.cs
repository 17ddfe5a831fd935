using NSec.Cryptography;

namespace Dreamwell.Identity;

/// <summary>An unlocked identity: can sign. Dispose it to drop the private key from memory.</summary>
public sealed class IdentitySigner : IDisposable
{
    private readonly Key _key;

    internal IdentitySigner(DreamIdentity identity, Key key)
    {
        Identity = identity;
        _key = key;
    }

    public DreamIdentity Identity { get; }

    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != 32 || signature.Length != 64) return false;
        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
            return false;
        return SignatureAlgorithm.Ed25519.Verify(key, message, signature);
    }

    public void Dispose() => _key.Dispose();
}
