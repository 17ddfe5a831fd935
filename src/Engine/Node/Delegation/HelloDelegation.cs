using Dreamwell.Identity;

namespace Dreamwell.Node;

/// <summary>The checks a hello's "delegation" member must pass before the link is up (docs/protocol.md, "Delegation in the hello").</summary>
internal static class HelloDelegation
{
    public static DelegationCertificate Verify(string base64, string kind, byte[] peerKey, DateTimeOffset now)
    {
        if (kind != nameof(IdentityKind.Agent)) throw FqtpMessages.Violation($"Only an Agent hello carries a delegation; this one says '{kind}'.");
        byte[] bytes;
        try { bytes = Convert.FromBase64String(base64); }
        catch (FormatException) { throw FqtpMessages.Violation("'delegation' is not base64."); }
        var certificate = DelegationCertificate.Parse(bytes);
        if (!certificate.AgentKey.AsSpan().SequenceEqual(peerKey))
            throw new DreamException(DelegationErrors.Invalid, DreamErrorKind.SecurityError,
                $"The delegation is for agent {certificate.AgentQuantumId}, but the handshake proved the key of {DreamIdentity.QuantumIdOf(peerKey)}.");
        certificate.CheckTime(now);
        return certificate;
    }
}
