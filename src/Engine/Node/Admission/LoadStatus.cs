namespace Dreamwell.Node.Admission;

/// <summary>What the node's load defences see right now, and what they have done since it started.</summary>
public sealed record LoadStatus(
    double AttemptsPerSecond,
    int PuzzleBits,
    int Connections,
    int HandshakesInFlight,
    long Refused,
    long Evicted,
    long ChallengesSent,
    long PuzzlesSolved,
    long TicketsAccepted,
    long AdmissionFailures);
