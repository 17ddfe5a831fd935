namespace Dreamwell.Node;

/// <summary>The peer services every node runs, in the order they see links come up.</summary>
internal static class NodeServices
{
    public static IReadOnlyList<PeerService> Create(TesseractNode node) =>
    [
        new Sync.PortalService(node),
        new Sync.SignalService(node),
        new Admission.TicketService(),
        new TrustService(node),
        new ContentExchange(node),
        new FileTransfer(node),
    ];
}
