using System.Text.Json;
using Dreamwell.Chain;

namespace Dreamwell.Identity;

/// <summary>
/// How operations get a signer: the home's identity, created on first use when there is none
/// (like Syncthing generating its device key on first start), recorded as the chain's first entry.
/// </summary>
public static class IdentityAccess
{
    public static IdentitySigner OpenOrCreateSigner(DreamHome home, out bool created)
    {
        created = false;
        if (!IdentityStore.Exists(home))
        {
            try
            {
                NewIdentity(home, null, null, default, overwrite: false);
                created = true;
            }
            catch (DreamException e) when (e.ErrorId == "DestinationExists")
            {
                // Another process created it a moment ago: use theirs.
            }
        }
        return IdentityStore.OpenSigner(home);
    }

    /// <summary>Creates an identity; an existing chain of a replaced identity is archived, never deleted.</summary>
    public static DreamIdentity NewIdentity(DreamHome home, string? name, IdentityKind? kind, ReadOnlySpan<char> passphrase, bool overwrite)
    {
        string? archived = null;
        if (overwrite && IdentityStore.Exists(home))
        {
            var old = IdentityStore.Load(home);
            archived = SealChain.Archive(home, old.QuantumId);
        }
        else if (!overwrite && IdentityStore.Exists(home))
        {
            throw new DreamException("IdentityExists", DreamErrorKind.AlreadyExists,
                $"An identity already exists in '{home.IdentityFile}'; use -Force to replace it (its seal chain is archived, not deleted).");
        }
        var identity = IdentityStore.Create(home, name, kind, passphrase, overwrite);
        using var signer = IdentityStore.OpenSigner(home, passphrase);
        var payload = JsonSerializer.Serialize(new { kind = "identity", name = identity.Name, identityKind = identity.Kind.ToString(), archivedChain = archived });
        SealChain.Append(home, signer, "identity.create", new[] { Blake3Hash.Compute(identity.PublicKey) }, payload);
        return identity;
    }
}
