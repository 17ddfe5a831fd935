namespace Dreamwell.Identity;

/// <summary>
/// What an Agent identity may ask of a peer, as granted by its Human (docs/identity.md, "Delegation").
/// Stored as a bit mask in the certificate; Human and Service identities hold every scope.
/// </summary>
[Flags]
public enum DelegationScopes : ushort
{
    None = 0,

    /// <summary>Fetch content from a peer (observe, have/want chunks).</summary>
    Observe = 1,

    /// <summary>Push content to a peer (file offers and their chunks).</summary>
    Send = 2,

    /// <summary>Link to nodes other than its Human's own: without it an agent may only link to nodes that run as the Human who delegated it.</summary>
    Connect = 4,
}

public static class DelegationScope
{
    public const DelegationScopes All = DelegationScopes.Observe | DelegationScopes.Send | DelegationScopes.Connect;

    /// <summary>One scope by its name (case-insensitive), as services name it in RequireScope.</summary>
    public static DelegationScopes Parse(string name)
    {
        foreach (var scope in new[] { DelegationScopes.Observe, DelegationScopes.Send, DelegationScopes.Connect })
            if (string.Equals(scope.ToString(), name, StringComparison.OrdinalIgnoreCase)) return scope;
        throw new DreamException(DelegationErrors.UnknownScope, DreamErrorKind.InvalidArgument, $"'{name}' is not a delegation scope (Observe, Send, Connect).");
    }

    /// <summary>"Observe, Send", or "none".</summary>
    public static string Describe(DelegationScopes scopes) => scopes == DelegationScopes.None ? "none" : scopes.ToString();
}
