using Dreamwell.Content;

namespace Dreamwell.Node;

/// <summary>
/// What Connect-Tesseract -Peer accepts: host:port, a QuantumId, a friend's or known peer's label, or a qttps address
/// (qttps:φ//&lt;label|QuantumId&gt;/… or qttps://…, whose authority is resolved the same way). A QuantumId or label is
/// dialed at the friend's addresses, then at addresses this node dialed it at before; the proven key must be that peer's.
/// </summary>
internal static class PeerDialer
{
    public sealed record Target(string? ExpectedQuantumId, IReadOnlyList<string> Addresses, string Asked);

    public static async Task<TesseractPeer> ConnectAsync(TesseractNode node, string peer, CancellationToken cancellationToken)
    {
        var target = Resolve(node, peer);
        if (target.Addresses.Count == 0)
        {
            if (target.ExpectedQuantumId is { } id && node.FindLink(id) is { } open) return open.Snapshot();
            throw new DreamException(TesseractErrors.PeerNotFound, DreamErrorKind.NotFound,
                $"No address is known for '{target.Asked}'. Dial host:port, or give the friend one: Add-DreamFriend -QuantumId <id> -Label <name> -Address host:port.");
        }
        DreamException? failure = null;
        foreach (var address in target.Addresses)
        {
            try
            {
                return await node.ConnectAsync(address, cancellationToken, target.ExpectedQuantumId).ConfigureAwait(false);
            }
            catch (DreamException e)
            {
                // A security refusal says more than a later "could not reach": report the first one.
                if (failure is null || (failure.Kind != DreamErrorKind.SecurityError && e.Kind == DreamErrorKind.SecurityError)) failure = e;
            }
        }
        throw failure!;
    }

    public static Target Resolve(TesseractNode node, string peer)
    {
        var text = (peer ?? "").Trim();
        if (text.Length is 0 or > DreamAddress.MaxLength)
            throw new DreamException(TesseractErrors.BadPeerAddress, DreamErrorKind.InvalidArgument, "A peer is a QuantumId, a label, host:port or a qttps address.");
        if (Authority(text) is { } authority) text = authority;
        if (IsQuantumId(text))
        {
            var id = text.ToLowerInvariant();
            return new Target(id, AddressesOf(node, node.Friends.Find(id), id), text);
        }
        var friend = node.Friends.Find(text);
        if (text.Contains(':') && friend is null)
        {
            TesseractNode.ParseAddress(text);
            return new Target(null, [text], text);
        }
        var known = friend?.QuantumId ?? node.Peers().FirstOrDefault(p => p.Label.Equals(text, StringComparison.OrdinalIgnoreCase))?.QuantumId;
        if (known is null)
            throw new DreamException(TesseractErrors.BadPeerAddress, DreamErrorKind.InvalidArgument,
                $"'{text}' is not host:port (for example 127.0.0.1:9618), a QuantumId, or the label of a friend or known peer (see Get-DreamFriend, Get-TesseractPeer).");
        return new Target(known, AddressesOf(node, friend, known), text);
    }

    private static List<string> AddressesOf(TesseractNode node, DreamFriend? friend, string quantumId) =>
        (friend?.Addresses ?? [])
            .Concat(node.Peers().Where(p => p.QuantumId == quantumId && p.Direction == "Outbound").Select(p => p.Address))
            .Concat(node.DiscoveredAddressOf(quantumId) is { } heard ? [heard] : [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>The authority of qttps:φ//authority/… or qttps://authority/…, or null when the text is no qttps address.</summary>
    internal static string? Authority(string text)
    {
        string rest;
        if (text.StartsWith(DreamAddress.Scheme, StringComparison.Ordinal)) rest = text[DreamAddress.Scheme.Length..];
        else if (text.StartsWith(DreamAddress.AsciiScheme, StringComparison.OrdinalIgnoreCase)) rest = text[DreamAddress.AsciiScheme.Length..];
        else return null;
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        if (authority.Length == 0)
            throw new DreamException(TesseractErrors.BadPeerAddress, DreamErrorKind.InvalidArgument, $"'{text}' names no peer between '//' and '/'.");
        return authority;
    }

    internal static bool IsQuantumId(string text) => text.Length == DreamAddress.QuantumIdLength && text.All(char.IsAsciiHexDigit);
}
