using Dreamwell.Content;

namespace Dreamwell.Node;

/// <summary>
/// A content address whose authority may name a peer by label as well as by QuantumId:
/// <c>qttps:φ//&lt;label|QuantumId&gt;/&lt;name&gt;</c> (or <c>qttps://</c>). A QuantumId authority is also a
/// <see cref="DreamAddress"/>; a label is resolved by the running node among its open links.
/// </summary>
public sealed record PeerContentAddress(string Authority, string Name)
{
    public const int MaxAuthorityLength = 128;

    public bool IsQuantumId => Authority.Length == DreamAddress.QuantumIdLength && Authority.All(char.IsAsciiHexDigit);

    public override string ToString() => $"{DreamAddress.Scheme}{Authority}/{Name}";

    public static PeerContentAddress Parse(string? text)
    {
        if (DreamAddress.TryParse(text, out var address)) return new PeerContentAddress(address.QuantumId, address.Name);
        if (string.IsNullOrEmpty(text) || text.Length > DreamAddress.MaxLength) return Rethrow(text);
        var rest = text.StartsWith(DreamAddress.Scheme, StringComparison.Ordinal) ? text[DreamAddress.Scheme.Length..]
            : text.StartsWith(DreamAddress.AsciiScheme, StringComparison.Ordinal) ? text[DreamAddress.AsciiScheme.Length..] : null;
        var slash = rest?.IndexOf('/') ?? -1;
        if (rest is null || slash <= 0) return Rethrow(text);
        var authority = rest[..slash];
        if (authority.Length > MaxAuthorityLength || authority.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '/' or '\\' or '?' or '#' or '@'))
            throw new DreamException("BadAddress", DreamErrorKind.InvalidArgument,
                $"'{text}' is not a content address: '{authority}' is neither a QuantumId nor a peer label (at most {MaxAuthorityLength} characters, no spaces).");
        try
        {
            return new PeerContentAddress(authority, ContentName.Validate(rest[(slash + 1)..]));
        }
        catch (DreamException e)
        {
            throw new DreamException("BadAddress", DreamErrorKind.InvalidArgument, $"'{text}' is not a content address: {e.Message.TrimEnd('.')}.");
        }
    }

    private static PeerContentAddress Rethrow(string? text)
    {
        DreamAddress.Parse(text);
        throw new InvalidOperationException("DreamAddress.Parse accepted what TryParse refused.");
    }
}
