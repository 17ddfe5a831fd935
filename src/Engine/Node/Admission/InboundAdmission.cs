using System.Security.Cryptography;
using Dreamwell.Node.Secure;

namespace Dreamwell.Node.Admission;

/// <summary>
/// The responder's admission step for one inbound connection: runs after Noise message 1 has been read and before
/// any key is generated. Without load it lets the handshake go on untouched (byte for byte libp2p); under load it
/// sends a challenge and reads the dialer's answer: a solved puzzle, or a resumption ticket proof. A refused
/// ticket gets one more challenge that asks for the puzzle.
/// </summary>
internal sealed class InboundAdmission
{
    private readonly LoadGuard _guard;
    private readonly InboundSlot? _slot;

    public InboundAdmission(LoadGuard guard, InboundSlot? slot)
    {
        _guard = guard;
        _slot = slot;
    }

    /// <summary>How the dialer got in: Open (no load), Puzzle or Ticket.</summary>
    public string Mode { get; private set; } = "Open";

    /// <summary>The QuantumId a presented ticket was issued to; the handshake must prove that identity.</summary>
    public string? TicketHolder { get; private set; }

    public async Task AdmitAsync(Stream stream, byte[] message1, CancellationToken cancellationToken)
    {
        var bits = _guard.PuzzleBits();
        _guard.NoteLoad(bits);
        if (bits > 0)
        {
            try
            {
                await ChallengeAsync(stream, message1, bits, cancellationToken).ConfigureAwait(false);
            }
            catch (DreamException)
            {
                _guard.CountFailure();
                throw;
            }
        }
        _slot?.Admitted();
    }

    private async Task ChallengeAsync(Stream stream, byte[] message1, int bits, CancellationToken cancellationToken)
    {
        var ticketAccepted = true;
        while (true)
        {
            var challenge = RandomNumberGenerator.GetBytes(32);
            await FrameIo.WriteAsync(stream, AdmissionFrames.EncodeChallenge(new AdmissionChallenge(bits, ticketAccepted, challenge)), cancellationToken).ConfigureAwait(false);
            _guard.CountChallenge();
            var answer = await FrameIo.ReadAsync(stream, cancellationToken).ConfigureAwait(false)
                ?? throw AdmissionErrors.Failed("The dialer closed the connection instead of answering the admission challenge.");
            switch (AdmissionFrames.AnswerKind(answer))
            {
                case AdmissionFrames.SolutionKind:
                    if (!ClientPuzzle.Verify(challenge, message1, AdmissionFrames.SolutionNonce(answer), bits))
                        throw AdmissionErrors.Failed($"The puzzle solution does not have {bits} leading zero bits.");
                    Mode = "Puzzle";
                    _guard.CountPuzzle();
                    return;
                case AdmissionFrames.TicketKind when ticketAccepted:
                    var holder = _guard.VerifyTicket(AdmissionFrames.TicketId(answer), AdmissionFrames.TicketProof(answer), challenge, message1);
                    if (holder is null)
                    {
                        ticketAccepted = false;
                        continue;
                    }
                    Mode = "Ticket";
                    TicketHolder = holder;
                    _guard.CountTicket();
                    return;
                default:
                    throw AdmissionErrors.Failed("The dialer's answer to the admission challenge is not a puzzle solution or a ticket.");
            }
        }
    }
}
