namespace Dreamwell.Node;

/// <summary>Stable error ids of content fetches and file transfers between nodes.</summary>
public static class TransferErrors
{
    public const string PeerNotConnected = "PeerNotConnected";
    public const string TransferRefused = "TransferRefused";
    public const string TransferNameRefused = "TransferNameRefused";
    public const string TransferInterrupted = "TransferInterrupted";
    public const string TransferCorrupt = "TransferCorrupt";
    public const string TransferBusy = "TransferBusy";
    public const string ContentTampered = "ContentTampered";
    public const string ContentNotFound = "ContentNotFound";
    public const string ScopeDenied = "ScopeDenied";
    public const string InboxUnavailable = "InboxUnavailable";

    internal static DreamException NotConnected(string peer) =>
        new(PeerNotConnected, DreamErrorKind.ResourceUnavailable,
            $"No open link to '{peer}'. Connect first with Connect-Tesseract (Get-TesseractPeer lists the links).");
}
