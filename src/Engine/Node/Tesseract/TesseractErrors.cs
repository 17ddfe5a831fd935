namespace Dreamwell.Node;

/// <summary>Stable error ids of the tesseract node and its local control protocol.</summary>
public static class TesseractErrors
{
    public const string NotRunning = "TesseractNotRunning";
    public const string AlreadyRunning = "TesseractAlreadyRunning";
    public const string NonLoopbackControl = "NonLoopbackControl";
    public const string ControlUnauthorized = "ControlUnauthorized";
    public const string ControlRequestTooLarge = "ControlRequestTooLarge";
    public const string ControlBadRequest = "ControlBadRequest";
    public const string UnknownMethod = "UnknownMethod";
    public const string BadPeerAddress = "BadPeerAddress";
    public const string PeerKeyMismatch = "PeerKeyMismatch";
    public const string PeerRefused = "PeerRefused";
    public const string ProtocolViolation = "FqtpProtocolViolation";
    public const string UnsupportedVersion = "FqtpUnsupportedVersion";
    public const string PortInUse = "PortInUse";
    public const string PeerQuarantined = "PeerQuarantined";
    public const string BadSignature = "FqtpBadSignature";
    public const string Replay = "FqtpReplay";
    public const string ChainFork = "PeerChainFork";
    public const string PeerNotFound = "PeerNotFound";

    internal static DreamException Unauthorized() =>
        new(ControlUnauthorized, DreamErrorKind.PermissionDenied, "The control token is missing or wrong.");
}
