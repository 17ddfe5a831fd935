namespace Dreamwell.Node.Admission;

/// <summary>Stable error ids of admission control and rate limits.</summary>
public static class AdmissionErrors
{
    /// <summary>The dialer's answer to an admission challenge was wrong, malformed or missing.</summary>
    public const string AdmissionFailed = "AdmissionFailed";
    /// <summary>The responder asked for a puzzle harder than this dialer is willing to solve.</summary>
    public const string PuzzleTooHard = "PuzzleTooHard";
    /// <summary>A resumption ticket was presented by a peer that then proved another identity.</summary>
    public const string TicketMisuse = "TicketMisuse";
    /// <summary>A peer sent more FQTP messages than its rate allows.</summary>
    public const string RateAbuse = "RateAbuse";

    internal static DreamException Failed(string message) => new(AdmissionFailed, DreamErrorKind.PermissionDenied, message);
}
