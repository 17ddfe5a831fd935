namespace Dreamwell.Identity;

/// <summary>One delegation as Grant-, Get- and Revoke-DreamDelegation report it. Never holds a private key.</summary>
public sealed record DreamDelegation(
    string Name,
    string AgentQuantumId,
    string DelegatedBy,
    DelegationScopes Scopes,
    DateTimeOffset NotBefore,
    DateTimeOffset Expires,
    string Status,
    DateTimeOffset? Revoked,
    string? RevokeReason,
    string Path,
    string CertificateHash,
    string AgentPublicKey);
