namespace Dreamwell.Node.Admission;

/// <summary>The dialer's side of admission: a ticket proof when it holds a ticket the challenge accepts, else a solved puzzle.</summary>
public static class AdmissionAnswer
{
    public static async Task<byte[]> AnswerAsync(byte[] challengeFrame, byte[] message1, AdmissionTicket? ticket, int maxBits, CancellationToken cancellationToken)
    {
        var challenge = AdmissionFrames.DecodeChallenge(challengeFrame);
        if (challenge.TicketAccepted && ticket is not null && ticket.Expires > DateTimeOffset.UtcNow)
            return AdmissionFrames.EncodeTicketProof(ticket.Id, AdmissionTicket.Proof(ticket.Secret, challenge.Challenge, message1));
        if (challenge.Bits > maxBits)
            throw new DreamException(AdmissionErrors.PuzzleTooHard, DreamErrorKind.ResourceUnavailable,
                $"The peer is under load and asks for a {challenge.Bits}-bit puzzle; this dialer solves at most {maxBits} bits. Try again later.");
        var nonce = await Task.Run(() => ClientPuzzle.Solve(challenge.Challenge, message1, challenge.Bits, cancellationToken), cancellationToken).ConfigureAwait(false);
        return AdmissionFrames.EncodeSolution(nonce);
    }
}
