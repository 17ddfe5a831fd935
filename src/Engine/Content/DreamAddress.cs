using System.Diagnostics.CodeAnalysis;

namespace Dreamwell.Content;

/// <summary>
/// A content address: <c>qttps:φ//&lt;QuantumId&gt;/&lt;name&gt;</c>, or the ASCII spelling <c>qttps://&lt;QuantumId&gt;/&lt;name&gt;</c>.
/// The QuantumId is the publisher's 16 hex digits (case-insensitive, kept lowercase); the name follows
/// <see cref="ContentName"/>. Printed in the φ spelling. Grammar: docs/protocol.md "Content addresses and the store".
/// </summary>
public sealed record DreamAddress
{
    public const string Scheme = "qttps:φ//";
    public const string AsciiScheme = "qttps://";
    public const int MaxLength = 2048;
    public const int QuantumIdLength = 16;

    public DreamAddress(string quantumId, string name)
    {
        if (quantumId.Length != QuantumIdLength || !quantumId.All(char.IsAsciiHexDigit))
            throw new DreamException("BadAddress", DreamErrorKind.InvalidArgument, $"'{quantumId}' is not a QuantumId ({QuantumIdLength} hex digits).");
        QuantumId = quantumId.ToLowerInvariant();
        Name = ContentName.Validate(name);
    }

    public string QuantumId { get; }
    public string Name { get; }

    public override string ToString() => $"{Scheme}{QuantumId}/{Name}";

    public static DreamAddress Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) throw Bad(text, "it is empty");
        if (text.Length > MaxLength) throw Bad(text[..64] + "…", $"it is longer than {MaxLength} characters");
        string rest;
        if (text.StartsWith(Scheme, StringComparison.Ordinal)) rest = text[Scheme.Length..];
        else if (text.StartsWith(AsciiScheme, StringComparison.Ordinal)) rest = text[AsciiScheme.Length..];
        else throw Bad(text, $"it does not start with '{Scheme}' or '{AsciiScheme}'");
        var slash = rest.IndexOf('/');
        if (slash < 0) throw Bad(text, "it has no '/' between the QuantumId and the name");
        try
        {
            return new DreamAddress(rest[..slash], rest[(slash + 1)..]);
        }
        catch (DreamException e)
        {
            throw Bad(text, e.Message.TrimEnd('.'));
        }
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out DreamAddress? address)
    {
        try
        {
            address = Parse(text);
            return true;
        }
        catch (DreamException)
        {
            address = null;
            return false;
        }
    }

    private static DreamException Bad(string? text, string why) =>
        new("BadAddress", DreamErrorKind.InvalidArgument, $"'{text}' is not a content address: {why}. Expected {Scheme}<QuantumId>/<name>.");
}
