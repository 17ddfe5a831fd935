namespace Dreamwell.Node.Noise;

/// <summary>Stable error ids raised by the Noise layer (they become FullyQualifiedErrorIds upstream).</summary>
public static class NoiseErrors
{
    public const string DecryptFailed = "DecryptFailed";
    public const string MessageTooLarge = "FrameTooLarge";
    public const string MalformedMessage = "NoiseMalformedMessage";
    public const string InvalidState = "NoiseInvalidState";
    public const string NonceExhausted = "NoiseNonceExhausted";
    public const string UnsupportedProtocol = "NoiseUnsupportedProtocol";
    public const string KeyAgreementFailed = "NoiseKeyAgreementFailed";

    internal static DreamException Decrypt() =>
        new(DecryptFailed, DreamErrorKind.SecurityError, "A Noise message failed authentication (wrong key, tampered or replayed data).");

    internal static DreamException Malformed(string why) =>
        new(MalformedMessage, DreamErrorKind.InvalidData, $"Malformed Noise message: {why}.");

    internal static DreamException State(string why) =>
        new(InvalidState, DreamErrorKind.InvalidOperation, why);
}
