using Dreamwell.Identity;
using NSec.Cryptography;

namespace Dreamwell.Node.Secure;

/// <summary>Signs with an Ed25519 identity without exposing the private key.</summary>
public delegate byte[] Ed25519Sign(ReadOnlySpan<byte> message);

/// <summary>
/// The long-term Ed25519 identity a node proves in the handshake: its public key and a way to sign.
/// The Noise static key is separate and fresh per connection.
/// </summary>
public sealed class IdentityKeyPair : IDisposable
{
    private readonly Ed25519Sign _sign;
    private readonly IDisposable? _owned;

    public IdentityKeyPair(ReadOnlySpan<byte> publicKey, Ed25519Sign sign) : this(publicKey.ToArray(), sign, null) { }

    private IdentityKeyPair(byte[] publicKey, Ed25519Sign sign, IDisposable? owned)
    {
        if (publicKey.Length != 32) throw new DreamException("BadIdentityKey", DreamErrorKind.InvalidArgument, "An Ed25519 public key is 32 bytes.");
        PublicKey = publicKey;
        _sign = sign;
        _owned = owned;
    }

    public byte[] PublicKey { get; }

    /// <summary>The libp2p peer id of this identity ("12D3KooW…").</summary>
    public string PeerId => Libp2pPeerId.FromEd25519(PublicKey);

    /// <summary>Uses an unlocked Dreamwell identity; the signer stays owned by the caller.</summary>
    public static IdentityKeyPair FromSigner(IdentitySigner signer) =>
        new(signer.Identity.PublicKey, message => signer.Sign(message), null);

    /// <summary>A throw-away identity held in memory only (tests, anonymous probes).</summary>
    public static IdentityKeyPair Generate()
    {
        var key = Key.Create(SignatureAlgorithm.Ed25519);
        return new IdentityKeyPair(key.PublicKey.Export(KeyBlobFormat.RawPublicKey), message => SignatureAlgorithm.Ed25519.Sign(key, message), key);
    }

    public byte[] Sign(ReadOnlySpan<byte> message) => _sign(message);

    public void Dispose() => _owned?.Dispose();
}
