using System.Buffers.Binary;

namespace Dreamwell.Node.Admission;

/// <summary>A challenge the responder sends instead of Noise message 2 while it is under load.</summary>
public sealed record AdmissionChallenge(int Bits, bool TicketAccepted, byte[] Challenge);

/// <summary>
/// The pre-handshake admission frames (docs/protocol.md, "Admission under load"). Each travels in the ordinary
/// 2-byte length framing. A challenge is 40 bytes while a Noise XX message 2 is at least 96 (e 32, encrypted s 48,
/// payload tag 16), so a dialer tells them apart by length and magic alone.
/// </summary>
public static class AdmissionFrames
{
    public const int ChallengeLength = 40;
    public const int SolutionLength = 16;
    public const int TicketProofLength = 8 + AdmissionTicket.IdLength + 32;
    public const byte ChallengeKind = 1;
    public const byte SolutionKind = 2;
    public const byte TicketKind = 3;
    private const byte TicketAcceptedFlag = 1;

    /// <summary>"DWA1": Dreamwell admission, version 1.</summary>
    public static ReadOnlySpan<byte> Magic => "DWA1"u8;

    public static byte[] EncodeChallenge(AdmissionChallenge challenge)
    {
        if (challenge.Challenge.Length != 32) throw new ArgumentException("A challenge is 32 bytes.", nameof(challenge));
        var frame = Header(ChallengeKind, ChallengeLength);
        frame[5] = (byte)challenge.Bits;
        frame[6] = challenge.TicketAccepted ? TicketAcceptedFlag : (byte)0;
        challenge.Challenge.CopyTo(frame, 8);
        return frame;
    }

    public static bool IsChallenge(ReadOnlySpan<byte> frame) =>
        frame.Length == ChallengeLength && frame[..4].SequenceEqual(Magic) && frame[4] == ChallengeKind;

    public static AdmissionChallenge DecodeChallenge(ReadOnlySpan<byte> frame)
    {
        if (!IsChallenge(frame)) throw AdmissionErrors.Failed("Not an admission challenge.");
        if (frame[5] > 64 || (frame[6] & ~TicketAcceptedFlag) != 0 || frame[7] != 0) throw AdmissionErrors.Failed("The admission challenge has unknown flags or an impossible difficulty.");
        return new AdmissionChallenge(frame[5], (frame[6] & TicketAcceptedFlag) != 0, frame[8..].ToArray());
    }

    public static byte[] EncodeSolution(ulong nonce)
    {
        var frame = Header(SolutionKind, SolutionLength);
        BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(8), nonce);
        return frame;
    }

    public static byte[] EncodeTicketProof(ReadOnlySpan<byte> ticketId, ReadOnlySpan<byte> proof)
    {
        var frame = Header(TicketKind, TicketProofLength);
        ticketId.CopyTo(frame.AsSpan(8));
        proof.CopyTo(frame.AsSpan(8 + AdmissionTicket.IdLength));
        return frame;
    }

    /// <summary>The kind of a dialer's answer (solution or ticket), or 0 when it is neither.</summary>
    public static byte AnswerKind(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 8 || !frame[..4].SequenceEqual(Magic) || frame[5] != 0 || frame[6] != 0 || frame[7] != 0) return 0;
        return (frame[4], frame.Length) switch
        {
            (SolutionKind, SolutionLength) => SolutionKind,
            (TicketKind, TicketProofLength) => TicketKind,
            _ => 0,
        };
    }

    public static ulong SolutionNonce(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt64BigEndian(frame[8..]);

    public static ReadOnlySpan<byte> TicketId(ReadOnlySpan<byte> frame) => frame.Slice(8, AdmissionTicket.IdLength);

    public static ReadOnlySpan<byte> TicketProof(ReadOnlySpan<byte> frame) => frame[(8 + AdmissionTicket.IdLength)..];

    private static byte[] Header(byte kind, int length)
    {
        var frame = new byte[length];
        Magic.CopyTo(frame);
        frame[4] = kind;
        return frame;
    }
}
