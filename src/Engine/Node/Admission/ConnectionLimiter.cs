using System.Net;

namespace Dreamwell.Node.Admission;

/// <summary>
/// Counts inbound connections per source address, in total and while handshaking. When the handshake or total
/// budget is full, a new connection evicts a handshake that has not yet passed admission: the oldest one from the
/// source address that holds the most of them, which is where a flood sits. A friend with one handshake in flight
/// from its own address is thus the last to go. When every handshake in flight is admitted, the newcomer is refused.
/// </summary>
internal sealed class ConnectionLimiter
{
    private readonly LoadOptions _options;
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, int> _perAddress = new();
    private readonly Dictionary<IPAddress, LinkedList<InboundSlot>> _unadmitted = new();
    private int _total;
    private int _inFlight;

    public ConnectionLimiter(LoadOptions options) => _options = options;

    public long Refused { get; private set; }
    public long Evicted { get; private set; }

    public int Connections
    {
        get { lock (_gate) return _total; }
    }

    public int HandshakesInFlight
    {
        get { lock (_gate) return _inFlight; }
    }

    /// <summary>A slot for a new inbound connection, or null when it must be refused. <paramref name="evict"/> closes it.</summary>
    public InboundSlot? TryOpen(IPAddress address, Action evict)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var evicted = new List<InboundSlot>();
        InboundSlot? slot = null;
        lock (_gate)
        {
            if (_perAddress.GetValueOrDefault(address) >= _options.MaxConnectionsPerAddress)
            {
                Refused++;
            }
            else
            {
                while ((_inFlight >= _options.MaxHandshakesInFlight || _total >= _options.MaxConnections) && EvictionCandidate() is { } victim)
                {
                    Unlist(victim);
                    ReleaseLocked(victim);
                    Evicted++;
                    evicted.Add(victim);
                }
                if (_inFlight >= _options.MaxHandshakesInFlight || _total >= _options.MaxConnections)
                {
                    Refused++;
                }
                else
                {
                    slot = new InboundSlot(this, address, evict);
                    _perAddress[address] = _perAddress.GetValueOrDefault(address) + 1;
                    _total++;
                    _inFlight++;
                    if (!_unadmitted.TryGetValue(address, out var list)) _unadmitted[address] = list = new LinkedList<InboundSlot>();
                    slot.Node = list.AddLast(slot);
                }
            }
        }
        foreach (var victim in evicted)
        {
            try { victim.Evict(); }
            catch (Exception) { /* closing a socket that is already gone */ }
        }
        return slot;
    }

    internal void Admitted(InboundSlot slot)
    {
        lock (_gate) Unlist(slot);
    }

    internal void Established(InboundSlot slot)
    {
        lock (_gate)
        {
            if (slot.Released || !slot.InFlight) return;
            Unlist(slot);
            slot.InFlight = false;
            _inFlight--;
        }
    }

    internal void Release(InboundSlot slot)
    {
        lock (_gate)
        {
            Unlist(slot);
            ReleaseLocked(slot);
        }
    }

    /// <summary>The oldest unadmitted handshake of the address with the most of them (ties: the oldest first).</summary>
    private InboundSlot? EvictionCandidate()
    {
        LinkedList<InboundSlot>? busiest = null;
        foreach (var list in _unadmitted.Values)
            if (busiest is null || list.Count > busiest.Count || (list.Count == busiest.Count && list.First!.Value.Opened < busiest.First!.Value.Opened))
                busiest = list;
        return busiest?.First?.Value;
    }

    private void Unlist(InboundSlot slot)
    {
        if (slot.Node is not { } node) return;
        var list = node.List!;
        list.Remove(node);
        slot.Node = null;
        if (list.Count == 0) _unadmitted.Remove(slot.Address);
    }

    private void ReleaseLocked(InboundSlot slot)
    {
        if (slot.Released) return;
        slot.Released = true;
        if (slot.InFlight) _inFlight--;
        _total--;
        var left = _perAddress[slot.Address] - 1;
        if (left == 0) _perAddress.Remove(slot.Address);
        else _perAddress[slot.Address] = left;
    }
}

/// <summary>One inbound connection's place in the limits; disposing it (when the connection ends) frees the place.</summary>
internal sealed class InboundSlot : IDisposable
{
    private readonly ConnectionLimiter _owner;
    private readonly Action _evict;

    internal InboundSlot(ConnectionLimiter owner, IPAddress address, Action evict)
    {
        _owner = owner;
        _evict = evict;
        Address = address;
    }

    public IPAddress Address { get; }
    internal long Opened { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
    internal LinkedListNode<InboundSlot>? Node { get; set; }
    internal bool InFlight { get; set; } = true;
    internal bool Released { get; set; }
    public bool WasEvicted { get; private set; }

    /// <summary>The connection passed admission (no load, a solved puzzle or a valid ticket): it can no longer be evicted.</summary>
    public void Admitted() => _owner.Admitted(this);

    /// <summary>The link is up: the connection no longer counts as a handshake in flight.</summary>
    public void Established() => _owner.Established(this);

    internal void Evict()
    {
        WasEvicted = true;
        _evict();
    }

    public void Dispose() => _owner.Release(this);
}
