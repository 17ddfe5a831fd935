namespace Dreamwell.Node.Noise;

/// <summary>The tokens of a handshake pattern (section 7).</summary>
public enum NoiseToken { E, S, EE, ES, SE, SS }

/// <summary>
/// A handshake pattern as data: the pre-messages each side already knows and the message sequence.
/// Messages alternate initiator, responder, initiator… starting with the initiator.
/// </summary>
public sealed class HandshakePattern
{
    private HandshakePattern(string name, NoiseToken[] initiatorPreMessage, NoiseToken[] responderPreMessage, NoiseToken[][] messages)
    {
        Name = name;
        InitiatorPreMessage = initiatorPreMessage;
        ResponderPreMessage = responderPreMessage;
        Messages = messages;
    }

    public string Name { get; }
    public IReadOnlyList<NoiseToken> InitiatorPreMessage { get; }
    public IReadOnlyList<NoiseToken> ResponderPreMessage { get; }
    public IReadOnlyList<NoiseToken[]> Messages { get; }

    /// <summary>One-way patterns (N, K, X) send only from initiator to responder.</summary>
    public bool IsOneWay => Messages.Count == 1;

    public bool InitiatorNeedsStatic => InitiatorPreMessage.Contains(NoiseToken.S) || MessagesOf(initiator: true).Any(m => m.Contains(NoiseToken.S));
    public bool ResponderNeedsStatic => ResponderPreMessage.Contains(NoiseToken.S) || MessagesOf(initiator: false).Any(m => m.Contains(NoiseToken.S));

    private IEnumerable<NoiseToken[]> MessagesOf(bool initiator) =>
        Messages.Where((_, index) => (index % 2 == 0) == initiator);

    private static readonly NoiseToken[] None = [];
    private static readonly NoiseToken[] Static = [NoiseToken.S];

    private static HandshakePattern P(string name, NoiseToken[] initiatorPre, NoiseToken[] responderPre, params NoiseToken[][] messages) =>
        new(name, initiatorPre, responderPre, messages);

    private static readonly Dictionary<string, HandshakePattern> Known = new[]
    {
        // One-way (section 7.4).
        P("N", None, Static, [NoiseToken.E, NoiseToken.ES]),
        P("K", Static, Static, [NoiseToken.E, NoiseToken.ES, NoiseToken.SS]),
        P("X", None, Static, [NoiseToken.E, NoiseToken.ES, NoiseToken.S, NoiseToken.SS]),
        // Interactive (section 7.5).
        P("NN", None, None, [NoiseToken.E], [NoiseToken.E, NoiseToken.EE]),
        P("NK", None, Static, [NoiseToken.E, NoiseToken.ES], [NoiseToken.E, NoiseToken.EE]),
        P("NX", None, None, [NoiseToken.E], [NoiseToken.E, NoiseToken.EE, NoiseToken.S, NoiseToken.ES]),
        P("XN", None, None, [NoiseToken.E], [NoiseToken.E, NoiseToken.EE], [NoiseToken.S, NoiseToken.SE]),
        P("XK", None, Static, [NoiseToken.E, NoiseToken.ES], [NoiseToken.E, NoiseToken.EE], [NoiseToken.S, NoiseToken.SE]),
        P("XX", None, None, [NoiseToken.E], [NoiseToken.E, NoiseToken.EE, NoiseToken.S, NoiseToken.ES], [NoiseToken.S, NoiseToken.SE]),
        P("KN", Static, None, [NoiseToken.E], [NoiseToken.E, NoiseToken.EE, NoiseToken.SE]),
        P("KK", Static, Static, [NoiseToken.E, NoiseToken.ES, NoiseToken.SS], [NoiseToken.E, NoiseToken.EE, NoiseToken.SE]),
        P("KX", Static, None, [NoiseToken.E], [NoiseToken.E, NoiseToken.EE, NoiseToken.SE, NoiseToken.S, NoiseToken.ES]),
        P("IN", None, None, [NoiseToken.E, NoiseToken.S], [NoiseToken.E, NoiseToken.EE, NoiseToken.SE]),
        P("IK", None, Static, [NoiseToken.E, NoiseToken.ES, NoiseToken.S, NoiseToken.SS], [NoiseToken.E, NoiseToken.EE, NoiseToken.SE]),
        P("IX", None, None, [NoiseToken.E, NoiseToken.S], [NoiseToken.E, NoiseToken.EE, NoiseToken.SE, NoiseToken.S, NoiseToken.ES]),
    }.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public static IEnumerable<string> Names => Known.Keys;

    public static HandshakePattern Get(string name) =>
        Known.TryGetValue(name, out var pattern)
            ? pattern
            : throw new DreamException(NoiseErrors.UnsupportedProtocol, DreamErrorKind.InvalidArgument, $"Unknown Noise handshake pattern '{name}'.");

    public static HandshakePattern XX => Known["XX"];
}
