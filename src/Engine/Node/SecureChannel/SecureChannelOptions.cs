namespace Dreamwell.Node.Secure;

/// <summary>How a handshake is bounded and, optionally, which peer it must reach.</summary>
public sealed record SecureChannelOptions
{
    public static SecureChannelOptions Default { get; } = new();

    /// <summary>The whole handshake (three messages) must finish within this time.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When set, a peer proving any other Ed25519 key is refused with PeerKeyMismatch.</summary>
    public byte[]? ExpectedRemoteKey { get; init; }

    /// <summary>
    /// Responder only: the admission step, run after message 1 is read and before any key is generated or DH
    /// computed (docs/protocol.md, "Admission under load"). It may exchange admission frames on the stream; it
    /// throws to refuse the dialer. Null: no admission step (plain libp2p).
    /// </summary>
    public Func<Stream, byte[], CancellationToken, Task>? Admit { get; init; }

    /// <summary>Initiator only: a resumption ticket to present when the responder asks for admission.</summary>
    public Admission.AdmissionTicket? AdmissionTicket { get; init; }

    /// <summary>Initiator only: the hardest puzzle (leading zero bits) this dialer solves before giving up.</summary>
    public int MaxPuzzleBits { get; init; } = 24;
}
