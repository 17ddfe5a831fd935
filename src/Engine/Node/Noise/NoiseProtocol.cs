namespace Dreamwell.Node.Noise;

/// <summary>A parsed protocol name such as Noise_XX_25519_ChaChaPoly_SHA256 (section 8).</summary>
public sealed record NoiseProtocol(string Name, HandshakePattern Pattern, NoiseHash Hash)
{
    public static NoiseProtocol XX25519ChaChaPolySha256 { get; } = Parse("Noise_XX_25519_ChaChaPoly_SHA256");

    /// <summary>
    /// Only DH 25519, cipher ChaChaPoly and hash SHA256 are offered (no PSK modifiers); <paramref name="otherHashes"/>
    /// lets a caller supply further hash functions by name.
    /// </summary>
    public static NoiseProtocol Parse(string name, IReadOnlyDictionary<string, NoiseHash>? otherHashes = null)
    {
        var parts = name.Split('_');
        if (parts.Length != 5 || parts[0] != "Noise")
            throw Unsupported(name, "expected Noise_<pattern>_<dh>_<cipher>_<hash>");
        if (parts[2] != "25519") throw Unsupported(name, $"DH '{parts[2]}' is not offered");
        if (parts[3] != "ChaChaPoly") throw Unsupported(name, $"cipher '{parts[3]}' is not offered");
        var hash = parts[4] switch
        {
            "SHA256" => NoiseHash.Sha256,
            var other when otherHashes?.TryGetValue(other, out var supplied) == true => supplied,
            _ => throw Unsupported(name, $"hash '{parts[4]}' is not offered"),
        };
        return new NoiseProtocol(name, HandshakePattern.Get(parts[1]), hash);
    }

    private static DreamException Unsupported(string name, string why) =>
        new(NoiseErrors.UnsupportedProtocol, DreamErrorKind.InvalidArgument, $"Unsupported Noise protocol '{name}': {why}.");
}
