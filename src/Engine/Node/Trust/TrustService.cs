using System.Text.Json;

namespace Dreamwell.Node;

/// <summary>
/// Keeps trust temperatures in step with links (a link coming up starts the clock; going down saves it) and answers
/// the LQTP method "disconnect" {peer: QuantumId|label, reason?}: every open link to that peer says bye and closes.
/// </summary>
internal sealed class TrustService(TesseractNode node) : PeerService
{
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(5);

    public override IReadOnlyDictionary<string, ControlMethod> ControlMethods => new Dictionary<string, ControlMethod>
    {
        [TrustMethods.Disconnect] = DisconnectAsync,
    };

    public override void LinkUp(PeerLink link) => node.Trust.LinkUp(link.QuantumId);

    public override void LinkDown(PeerLink link, string reason) => node.Trust.LinkDown(link.QuantumId);

    private async Task<object> DisconnectAsync(JsonElement parameters, CancellationToken cancellationToken)
    {
        string? Text(string name) => parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var peer = Text("peer")?.Trim() ?? "";
        var reason = Text("reason") is { Length: > 0 and <= 200 } given ? given : "Disconnected by its owner.";
        var target = node.FindLink(peer)
            ?? throw new DreamException(TesseractErrors.PeerNotFound, DreamErrorKind.NotFound, $"No open link to '{(peer.Length > 80 ? peer[..80] + "…" : peer)}'; see Get-TesseractPeer.");
        var links = node.OpenLinks().Where(l => l.QuantumId == target.QuantumId).ToList();
        await Task.WhenAll(links.Select(l => l.DisconnectAsync(reason))).ConfigureAwait(false);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(CloseBound);
        // Answer once the links report Closed, so Get-TesseractPeer right after shows it.
        while (links.Any(l => l.Snapshot().State != PeerStates.Closed) && !bounded.IsCancellationRequested)
            await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
        return links.Select(l => l.Snapshot()).ToList();
    }
}
