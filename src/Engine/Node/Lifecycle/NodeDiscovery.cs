using System.Collections.Concurrent;
using Dreamwell.Node.Discovery;

namespace Dreamwell.Node;

/// <summary>
/// The node's use of the mDNS / DNS-SD library (docs/protocol.md, "How a node uses the library"): one announcer
/// for this node, one browser for the others. Discovery is optional: when its socket cannot be opened the node keeps
/// running and <see cref="State"/> says why. Discovered peers are addresses to dial, never trusted.
/// </summary>
internal sealed class NodeDiscovery : IDisposable
{
    public const string Off = "Off";

    private readonly TesseractNode _node;
    private readonly DiscoveryOptions? _options;
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private Announcer? _announcer;
    private Browser? _browser;

    private NodeDiscovery(TesseractNode node, DiscoveryOptions? options)
    {
        _node = node;
        _options = options;
        State = Off;
    }

    /// <summary>"Off", "Loopback 127.0.0.1:9619" / "Lan 192.168.1.20:9619", or "Unavailable: why".</summary>
    public string State { get; private set; }

    public bool Running => _browser is not null;

    public static NodeDiscovery Start(TesseractNode node, DiscoveryOptions? options)
    {
        var discovery = new NodeDiscovery(node, options);
        if (options is null) return discovery;
        try
        {
            var me = new ServiceAnnouncement(
                ServiceAnnouncement.DefaultInstanceName(AnnouncedName(node.Name), node.QuantumId), node.QuantumId, AnnouncedName(node.Name), node.PeerPort);
            discovery._announcer = new Announcer(me, options);
            discovery._announcer.Start();
            discovery._browser = new Browser(options);
            discovery._browser.PeerSeen += discovery.OnPeerSeen;
            discovery._browser.Start();
            var scope = System.Net.IPAddress.IsLoopback(options.InterfaceAddress) ? "Loopback" : "Lan";
            discovery.State = $"{scope} {options.InterfaceAddress}:{options.Port}";
        }
        catch (DreamException e)
        {
            discovery.Dispose();
            discovery.State = $"Unavailable: {e.Message}";
            node.Raise("DiscoveryUnavailable", node.QuantumId, null, $"Discovery is off: {e.Message} Connect-Tesseract -Peer host:port still works.");
        }
        return discovery;
    }

    /// <summary>Live discovered peers other than this node, newest record per QuantumId.</summary>
    public IReadOnlyList<DiscoveredPeer> Peers() =>
        _browser?.Peers
            .Where(p => p.QuantumId != _node.QuantumId)
            .GroupBy(p => p.QuantumId)
            .Select(g => g.OrderByDescending(p => p.LastSeen).First())
            .ToList() ?? [];

    /// <summary>host:port a peer announced for <paramref name="quantumId"/>, or null when it has not been discovered.</summary>
    public string? AddressOf(string quantumId) =>
        Peers().FirstOrDefault(p => p.QuantumId.Equals(quantumId, StringComparison.OrdinalIgnoreCase)) is { } peer
            ? $"{peer.Address}:{peer.Port}"
            : null;

    public long MalformedPackets => (_browser?.MalformedPackets ?? 0) + (_announcer?.MalformedPackets ?? 0);

    // Runs on the receive thread: only a set lookup and a non-blocking event.
    private void OnPeerSeen(DiscoveredPeer peer)
    {
        if (peer.QuantumId == _node.QuantumId || !_seen.TryAdd(peer.QuantumId, 0)) return;
        _node.Raise("PeerDiscovered", peer.QuantumId, $"{peer.Address}:{peer.Port}", $"{peer.Name} announces itself (not trusted until its key is proven and pinned).");
    }

    /// <summary>Names are announced as given; one the TXT record cannot carry (over 63 bytes, control characters) is shortened.</summary>
    private static string AnnouncedName(string name)
    {
        var clean = new string(name.Where(c => !char.IsControl(c)).ToArray());
        while (System.Text.Encoding.UTF8.GetByteCount(clean) > 63) clean = clean[..^1];
        return clean.Length == 0 ? "tesseract" : clean;
    }

    /// <summary>Sends the goodbye (TTL 0) so browsers drop this node at once.</summary>
    public void Dispose()
    {
        _announcer?.Dispose();
        _browser?.Dispose();
        _announcer = null;
        _browser = null;
    }
}
