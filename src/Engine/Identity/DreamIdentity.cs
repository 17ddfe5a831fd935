namespace Dreamwell.Identity;

/// <summary>The public facts of an identity; never holds the private key.</summary>
public sealed class DreamIdentity
{
    internal DreamIdentity(string name, IdentityKind kind, DateTimeOffset created, byte[] publicKey, byte[] deviceFingerprint, bool isSealed, string path)
    {
        Name = name;
        Kind = kind;
        Created = created;
        PublicKey = publicKey;
        DeviceFingerprint = deviceFingerprint;
        IsSealed = isSealed;
        Path = path;
    }

    public string Name { get; }
    public IdentityKind Kind { get; }
    public DateTimeOffset Created { get; }
    public byte[] PublicKey { get; }
    public byte[] DeviceFingerprint { get; }
    public bool IsSealed { get; }
    public string Path { get; }

    public string PublicKeyHex => Convert.ToHexStringLower(PublicKey);

    /// <summary>Short id for humans and addresses: the first 16 hex digits of BLAKE3(public key).</summary>
    public string QuantumId => QuantumIdOf(PublicKey);

    public bool FingerprintMatches => DeviceFingerprint.AsSpan().SequenceEqual(Identity.DeviceFingerprint.Current());

    public static string QuantumIdOf(ReadOnlySpan<byte> publicKey) => Blake3Hash.Hex(publicKey)[..16];
}
