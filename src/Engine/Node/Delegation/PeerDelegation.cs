using Dreamwell.Identity;

namespace Dreamwell.Node;

/// <summary>
/// How a node holds an Agent peer to its delegation: at the hello (present, not revoked here, Connect when this node is
/// not its Human's) and on every request (scope, expiry by the node's clock, revocation). Human and Service peers pass.
/// </summary>
internal static class PeerDelegation
{
    public const string AgentKind = nameof(IdentityKind.Agent);

    /// <summary>
    /// The certificate an Agent node puts in its hello (null for other kinds, or an Agent without one: peers then refuse
    /// it with DelegationMissing). A damaged one is this node's fault, so it is reported under an id no peer is blamed for.
    /// </summary>
    public static byte[]? OwnCertificate(TesseractNode node)
    {
        if (node.Kind != AgentKind) return null;
        try
        {
            return Delegations.ReadOwn(node.Home)?.Bytes;
        }
        catch (DreamException e)
        {
            throw new DreamException(DelegationErrors.OwnCertificateUnusable, DreamErrorKind.InvalidData,
                $"This agent's {Delegations.CertificatePath(node.Home)} cannot be used: {e.Message}", e);
        }
    }

    public static void CheckHello(TesseractNode node, FqtpHello hello, byte[] peerKey)
    {
        if (hello.Kind != AgentKind) return;
        var certificate = hello.Delegation ?? throw Missing(hello.Name);
        if (Delegations.IsRevoked(node.Home, peerKey)) throw Revoked(certificate);
        if (!certificate.Allows(DelegationScopes.Connect) && !certificate.HumanKey.AsSpan().SequenceEqual(node.PublicKey))
            throw new DreamException(DelegationErrors.Scope, DreamErrorKind.PermissionDenied,
                $"Agent '{certificate.Name}' ({certificate.AgentQuantumId}) may link only to nodes of {certificate.DelegatedBy}, who delegated it; linking to {node.QuantumId} needs the Connect scope.");
    }

    public static void Require(TesseractNode node, string kind, DelegationCertificate? certificate, byte[] peerKey, string scope)
    {
        var wanted = DelegationScope.Parse(scope);
        if (kind != AgentKind) return;
        if (certificate is null) throw Missing(DreamIdentity.QuantumIdOf(peerKey));
        certificate.CheckTime(node.Options.Clock.GetUtcNow());
        if (Delegations.IsRevoked(node.Home, peerKey)) throw Revoked(certificate);
        if (!certificate.Allows(wanted))
            throw new DreamException(DelegationErrors.Scope, DreamErrorKind.PermissionDenied,
                $"Agent '{certificate.Name}' ({certificate.AgentQuantumId}) is delegated {DelegationScope.Describe(certificate.Scopes)} by {certificate.DelegatedBy}; this request needs {wanted}.");
    }

    /// <summary>
    /// Why an Agent link may not go on although the agent asks nothing (expired, or revoked here), checked on each of its
    /// heartbeats; null while it may. Not misbehaviour: the link just ends, with an error naming the cause.
    /// </summary>
    public static DreamException? Lapsed(TesseractNode node, DelegationCertificate? certificate, byte[] peerKey)
    {
        if (certificate is null) return null;
        try
        {
            certificate.CheckTime(node.Options.Clock.GetUtcNow());
            return Delegations.IsRevoked(node.Home, peerKey) ? Revoked(certificate) : null;
        }
        catch (DreamException e)
        {
            return e;
        }
    }

    private static DreamException Missing(string who) =>
        new(DelegationErrors.Missing, DreamErrorKind.PermissionDenied, $"'{who}' says it is an Agent but carries no delegation certificate; an Agent needs one (Grant-DreamDelegation).");

    private static DreamException Revoked(DelegationCertificate certificate) =>
        new(DelegationErrors.Revoked, DreamErrorKind.PermissionDenied, $"Agent '{certificate.Name}' ({certificate.AgentQuantumId}) was revoked by {certificate.DelegatedBy}.");
}
