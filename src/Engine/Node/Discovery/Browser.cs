using System.Net;

namespace Dreamwell.Node.Discovery;

/// <summary>
/// Asks the link for <see cref="DiscoveryOptions.ServiceType"/> and keeps the peers that answer or
/// announce, until their records expire or they say goodbye. Every peer it returns is untrusted.
/// </summary>
public sealed class Browser : IDisposable
{
    /// <summary>Peers remembered at most; further new instances are dropped (and counted) until some expire.</summary>
    public const int MaxPeers = 1024;

    private readonly DiscoveryOptions _options;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, DiscoveredPeer> _peers = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private MulticastTransport? _transport;
    private Task? _loop;
    private long _peersDropped;

    public Browser(DiscoveryOptions? options = null, TimeProvider? clock = null)
    {
        _options = options ?? new DiscoveryOptions();
        _options.Validate();
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Raised on the receive thread for every fresh or refreshed peer record.</summary>
    public event Action<DiscoveredPeer>? PeerSeen;

    public long PacketsReceived => _transport?.PacketsReceived ?? 0;
    /// <summary>Packets that failed bounded parsing; they are dropped, the browser keeps going.</summary>
    public long MalformedPackets => _transport?.MalformedPackets ?? 0;
    public long PeersDropped => Interlocked.Read(ref _peersDropped);

    /// <summary>The live peers, expired ones removed, ordered by instance name.</summary>
    public IReadOnlyList<DiscoveredPeer> Peers
    {
        get
        {
            var now = _clock.GetUtcNow();
            lock (_gate)
            {
                foreach (var expired in _peers.Where(p => p.Value.ExpiresAt <= now).Select(p => p.Key).ToList()) _peers.Remove(expired);
                return _peers.Values.OrderBy(p => p.InstanceName, StringComparer.OrdinalIgnoreCase).ToList();
            }
        }
    }

    /// <summary>Opens the socket (throws <see cref="DiscoveryErrors.SocketUnavailable"/>) and starts querying.</summary>
    public void Start()
    {
        if (_transport is not null) throw new InvalidOperationException("The browser has already started.");
        _transport = new MulticastTransport(_options, OnMessage);
        _loop = Task.Run(QueryLoop);
    }

    /// <summary>Asks again now, e.g. when the user lists peers.</summary>
    public void QueryNow() => _transport?.Send(ServiceRecords.Query(_options));

    private async Task QueryLoop()
    {
        try
        {
            QueryNow();
            await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token).ConfigureAwait(false);
            while (true)
            {
                QueryNow();
                await Task.Delay(_options.QueryInterval, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
    }

    private void OnMessage(DnsMessage message, IPEndPoint source)
    {
        foreach (var (instance, peer) in ServiceRecords.Peers(message, _options, source.Address, _clock.GetUtcNow()))
        {
            lock (_gate)
            {
                if (peer is null) { _peers.Remove(instance); continue; }
                if (!_peers.ContainsKey(instance) && _peers.Count >= MaxPeers) { Interlocked.Increment(ref _peersDropped); continue; }
                _peers[instance] = peer;
            }
            if (peer is not null) PeerSeen?.Invoke(peer);
        }
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        try { _loop?.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _transport?.Dispose();
        _stop.Dispose();
    }
}
