namespace Dreamwell.Identity;

/// <summary>Stable error ids of delegation: issuing and reading certificates, and what peers refuse.</summary>
public static class DelegationErrors
{
    public const string Invalid = "DelegationInvalid";
    public const string Expired = "DelegationExpired";
    public const string NotYetValid = "DelegationNotYetValid";
    public const string Scope = "DelegationScope";
    public const string Missing = "DelegationMissing";
    public const string Revoked = "DelegationRevoked";
    public const string UnknownScope = "DelegationUnknownScope";
    public const string BadName = "DelegationBadName";
    public const string BadDuration = "DelegationBadDuration";
    public const string NotHuman = "DelegationNotHuman";
    public const string NotFound = "DelegationNotFound";
    public const string OwnCertificateUnusable = "DelegationOwnCertificateUnusable";

    /// <summary>The ids a node sends to a peer (and reports as misbehaviour) when it refuses the peer's delegation.</summary>
    public static bool IsPeerRefusal(string errorId) =>
        errorId is Invalid or Expired or NotYetValid or Scope or Missing or Revoked;
}
