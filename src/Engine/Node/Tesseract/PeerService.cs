using System.Text.Json;

namespace Dreamwell.Node;

/// <summary>
/// One narrow part of the node's peer protocol (trust, content, transfer…). A link hands every FQTP message whose
/// "type" is in <see cref="MessageTypes"/>, and every binary frame whose first byte is in <see cref="FrameKinds"/>,
/// to the service that claims it; messages run one at a time per link, in order, on the link's receive loop
/// (a slow handler slows only its own peer). A handler throws <see cref="FqtpMessages.Violation"/> (or any
/// <see cref="DreamException"/>) to end the link; it never takes the node down.
/// </summary>
internal abstract class PeerService
{
    public virtual IReadOnlyCollection<string> MessageTypes => [];

    /// <summary>First bytes of binary frames this service owns; never '{' (0x7B), which starts every JSON message.</summary>
    public virtual IReadOnlyCollection<byte> FrameKinds => [];

    /// <summary>LQTP methods this service answers: name → handler(params, cancellation) returning the result object.</summary>
    public virtual IReadOnlyDictionary<string, ControlMethod> ControlMethods => new Dictionary<string, ControlMethod>();

    /// <summary>Called once the hello exchange has succeeded, before the receive loop starts.</summary>
    public virtual void LinkUp(PeerLink link) { }

    /// <summary>Called once when a link that was up has ended.</summary>
    public virtual void LinkDown(PeerLink link, string reason) { }

    public virtual ValueTask OnMessageAsync(PeerLink link, string type, JsonElement body, CancellationToken cancellationToken) => default;

    public virtual ValueTask OnFrameAsync(PeerLink link, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) => default;

    /// <summary>Called once the node listens and every service is attached: the first moment a service may dial out.</summary>
    public virtual void Started() { }

    /// <summary>Called when the node stops, after every link has closed.</summary>
    public virtual void Stopped() { }
}

/// <summary>An LQTP method: takes the request's "params" (undefined when absent) and returns the result to serialize.</summary>
internal delegate Task<object> ControlMethod(JsonElement parameters, CancellationToken cancellationToken);
