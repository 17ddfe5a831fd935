using System.Text.Json;

namespace Dreamwell.Node.Admission;

/// <summary>
/// Hands every friend a resumption ticket as soon as its link is up, inside the encrypted session, and keeps the
/// tickets other nodes hand us (for links we dialed, by the address we dialed) so that a reconnect under load
/// skips the puzzle. Message: {"type":"ticket","id":base64(24 bytes),"secret":base64(32 bytes),"expires":unix ms}.
/// </summary>
internal sealed class TicketService : PeerService
{
    public const string Ticket = "ticket";

    public override IReadOnlyCollection<string> MessageTypes => [Ticket];

    public override void LinkUp(PeerLink link)
    {
        if (!link.Node.Friends.IsFriend(link.QuantumId)) return;
        var ticket = link.Node.Load.IssueTicket(link.QuantumId);
        var message = JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = Ticket, id = Convert.ToBase64String(ticket.Id), secret = Convert.ToBase64String(ticket.Secret), expires = ticket.Expires.ToUnixTimeMilliseconds(),
        });
        _ = SendQuietlyAsync(link, message);
    }

    public override ValueTask OnMessageAsync(PeerLink link, string type, JsonElement body, CancellationToken cancellationToken)
    {
        var id = Bytes(body, "id", AdmissionTicket.IdLength);
        var secret = Bytes(body, "secret", 32);
        if (!body.TryGetProperty("expires", out var e) || !e.TryGetInt64(out var expires) || expires < 0)
            throw FqtpMessages.Violation("'expires' must be a non-negative integer.");
        // Only a ticket for an address we dialed is of use: that is where we will dial again.
        if (link.Direction == "Outbound")
            link.Node.Load.HoldTicket(link.Address, new AdmissionTicket(id, secret, DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(expires, 253402300799000))));
        return default;
    }

    private static byte[] Bytes(JsonElement body, string name, int length)
    {
        var text = FqtpMessages.Text(body, name, 64);
        try
        {
            var bytes = Convert.FromBase64String(text);
            return bytes.Length == length ? bytes : throw FqtpMessages.Violation($"'{name}' must be {length} bytes.");
        }
        catch (FormatException)
        {
            throw FqtpMessages.Violation($"'{name}' is not base64.");
        }
    }

    private static async Task SendQuietlyAsync(PeerLink link, byte[] message)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await link.SendAsync(message, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DreamException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // No ticket this time: the friend solves the puzzle if it reconnects under load.
        }
    }
}
