namespace Dreamwell.Identity;

/// <summary>Who holds an identity. Stored as one byte in identity.fibo.</summary>
public enum IdentityKind : byte
{
    Human = 1,
    Agent = 2,
    Service = 3,
}
