using Dreamwell.Identity;
using Dreamwell.Node.Noise;
using Dreamwell.Node.Secure;

namespace Dreamwell.Node;

/// <summary>
/// The rules ShardBlade enforces, as the reason ids its audit entries carry. Every error id a caller passes to
/// <see cref="TesseractNode.Misbehaved"/> maps to exactly one of them (docs/protocol.md, "Trust and ShardBlade").
/// </summary>
public static class ShardBladeReasons
{
    public const string BadSignature = "BadSignature";
    public const string Fork = "Fork";
    public const string Replay = "Replay";
    public const string ProtocolViolation = "ProtocolViolation";
    public const string KeyMismatch = "KeyMismatch";
    public const string RateAbuse = "RateAbuse";
    /// <summary>An agent outside its delegation (expired, revoked, out of scope…): audited, never quarantined.</summary>
    public const string Delegation = "Delegation";

    public static IReadOnlyList<string> All { get; } = [BadSignature, Fork, Replay, ProtocolViolation, KeyMismatch, RateAbuse, Delegation];

    /// <summary>The reason for an error id; a caller may also pass a reason id itself. Anything else is a protocol violation.</summary>
    public static string Classify(string errorId) => errorId switch
    {
        BadSignature or Fork or Replay or ProtocolViolation or KeyMismatch or RateAbuse or Delegation => errorId,
        _ when DelegationErrors.IsPeerRefusal(errorId) => Delegation,
        TesseractErrors.BadSignature or SecureChannelErrors.BadIdentitySignature => BadSignature,
        TesseractErrors.ChainFork => Fork,
        TesseractErrors.Replay or NoiseErrors.DecryptFailed => Replay,
        TesseractErrors.PeerKeyMismatch or SecureChannelErrors.PeerKeyMismatch or "TicketMisuse" => KeyMismatch,
        "RateLimited" or "RateLimitExceeded" or "PuzzleFailed" => RateAbuse,
        _ => ProtocolViolation,
    };

    /// <summary>
    /// False for refusals by policy (a delegation that lapsed or does not cover a request): the peer's own identity did
    /// nothing wrong and the refusal repeats itself on every attempt with its precise error, so it is audited only.
    /// </summary>
    public static bool Quarantines(string reason) => reason != Delegation;

    /// <summary>
    /// False for bytes that failed authentication (AEAD) or framing: anyone on the path can inject those, so they are
    /// not held against the key of the link they arrived on.
    /// </summary>
    public static bool IsAttributable(string errorId) => errorId is not (NoiseErrors.DecryptFailed or NoiseErrors.MalformedMessage or SecureChannelErrors.TruncatedFrame);

    /// <summary>Errors that end an established link as misbehaviour (as opposed to a network fault, a timeout or a goodbye).</summary>
    public static bool IsLinkMisbehaviour(string errorId) => errorId is
        TesseractErrors.ProtocolViolation or TesseractErrors.BadSignature or TesseractErrors.Replay or TesseractErrors.ChainFork
        or TesseractErrors.PeerKeyMismatch or NoiseErrors.DecryptFailed or NoiseErrors.MalformedMessage;

    /// <summary>
    /// Handshake failures that show a peer acting against the protocol, as opposed to a network fault or a timeout.
    /// Only these count as strikes against an address when no key was proven.
    /// </summary>
    public static bool IsHandshakeMisbehaviour(string errorId) => errorId is
        NoiseErrors.DecryptFailed or NoiseErrors.MalformedMessage or SecureChannelErrors.BadIdentitySignature
        or SecureChannelErrors.BadHandshakePayload or SecureChannelErrors.UnsupportedIdentityKey or SecureChannelErrors.PeerKeyMismatch;
}
