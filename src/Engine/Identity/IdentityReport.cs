using Dreamwell.Chain;

namespace Dreamwell.Identity;

/// <summary>`whoami`: the identity's public facts plus the state of its seal chain.</summary>
public sealed record IdentityReport(
    string QuantumId,
    string Name,
    IdentityKind Kind,
    string PublicKey,
    DateTimeOffset Created,
    long ChainLength,
    string HeadHash,
    bool FingerprintMatch,
    bool IsSealed,
    string Path)
{
    public static IdentityReport Of(DreamHome home)
    {
        var identity = IdentityStore.Load(home);
        var entries = SealChain.Read(home);
        return new IdentityReport(identity.QuantumId, identity.Name, identity.Kind, identity.PublicKeyHex, identity.Created,
            entries.Count, entries.Count > 0 ? entries[^1].Hash : SealChain.Zero, identity.FingerprintMatches, identity.IsSealed, identity.Path);
    }
}
