namespace Dreamwell.Node.Noise;

/// <summary>A parsed protocol name such as Noise_XX_25519_ChaChaPoly_SHA256 (section 8).</summary>
public sealed record NoiseProtocol(string Name, HandshakePattern Pattern, NoiseHash Hash)
{
    public static NoiseProtocol XX25519ChaChaPolySha256 { get; } = Parse("Noise_XX_25519_ChaChaPoly_SHA256");

    /// <summary>Only DH 25519 and cipher ChaChaPoly are offered; hashes SHA256 and BLAKE2b; no PSK modifiers.</summary>
    public static NoiseProtocol Parse(string name)
    {
        var parts = name.Split('_');
        if (parts.Length != 5 || parts[0] != "Noise")
            throw Unsupported(name, "expected Noise_<pattern>_<dh>_<cipher>_<hash>");
        if (parts[2] != "25519") throw Unsupported(name, $"DH '{parts[2]}' is not offered");
        if (parts[3] != "ChaChaPoly") throw Unsupported(name, $"cipher '{parts[3]}' is not offered");
        var hash = parts[4] switch
        {
            "SHA256" => NoiseHash.Sha256,
            "BLAKE2b" => NoiseHash.Blake2b,
            _ => throw Unsupported(name, $"hash '{parts[4]}' is not offered"),
        };
        return new NoiseProtocol(name, HandshakePattern.Get(parts[1]), hash);
    }

    private static DreamException Unsupported(string name, string why) =>
        new(NoiseErrors.UnsupportedProtocol, DreamErrorKind.InvalidArgument, $"Unsupported Noise protocol '{name}': {why}.");
}
