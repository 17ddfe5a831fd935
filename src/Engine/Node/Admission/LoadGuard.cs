using System.Collections.Concurrent;
using System.Net;

namespace Dreamwell.Node.Admission;

/// <summary>
/// A node's defences under load, in one place: the attempt meter and puzzle difficulty, the connection limits,
/// the ticket key (responder side), the tickets this node holds for others (dialer side) and the per-peer
/// message budget.
/// </summary>
internal sealed class LoadGuard : IDisposable
{
    private const int MaxHeldTickets = 1024;
    private readonly LoadMeter _meter;
    private readonly TicketAuthority _authority = new();
    private readonly ConcurrentDictionary<string, AdmissionTicket> _held = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<string, bool> _isFriend;
    private long _challengesSent;
    private long _puzzlesSolved;
    private long _ticketsAccepted;
    private long _admissionFailures;
    private int _underLoad;

    public LoadGuard(LoadOptions options, Func<string, bool> isFriend, Func<long>? millisecondsClock = null)
    {
        _meter = new LoadMeter(millisecondsClock);
        Options = options;
        _isFriend = isFriend;
        Limiter = new ConnectionLimiter(options);
    }

    public LoadOptions Options { get; }
    public ConnectionLimiter Limiter { get; }

    /// <summary>Counts an inbound attempt and gives it a slot, or null when the limits refuse it.</summary>
    public InboundSlot? Accept(IPAddress address, Action evict)
    {
        _meter.Record();
        return Limiter.TryOpen(address, evict);
    }

    /// <summary>Leading zero bits the puzzle asks for now; 0 while the attempt rate is at or below the threshold.</summary>
    public int PuzzleBits()
    {
        var rate = _meter.PerSecond;
        if (rate <= Options.PuzzleThreshold) return 0;
        var doublings = (int)Math.Floor(Math.Log2(rate / Math.Max(1, Options.PuzzleThreshold)));
        return Math.Clamp(Options.PuzzleBaseBits + Options.PuzzleBitsPerDoubling * Math.Max(0, doublings), 1, Options.PuzzleMaxBits);
    }

    public InboundAdmission Inbound(InboundSlot? slot) => new(this, slot);

    /// <summary>True from the first challenge until a message 1 arrives that needs none.</summary>
    public bool UnderLoad => Volatile.Read(ref _underLoad) == 1;

    /// <summary>Called with ("UnderLoad" | "LoadEased", message) when the state changes; the node raises it as an event.</summary>
    public Action<string, string>? LoadChanged { get; init; }

    internal void NoteLoad(int bits)
    {
        if (bits > 0 && Interlocked.Exchange(ref _underLoad, 1) == 0)
            LoadChanged?.Invoke("UnderLoad", $"{_meter.PerSecond:0} inbound handshake attempts/s: asking a {bits}-bit puzzle. Single handshake failures are not reported until the load eases.");
        else if (bits == 0 && Interlocked.Exchange(ref _underLoad, 0) == 1)
            LoadChanged?.Invoke("LoadEased", $"No puzzle asked any more. Since start: {Snapshot()}.");
    }

    public TokenBucket NewPeerBucket() => new(Options.PeerMessagesPerSecond, Options.PeerMessageBurst);

    public AdmissionTicket IssueTicket(string quantumId) => _authority.Issue(quantumId, DateTimeOffset.UtcNow + Options.TicketLifetime);

    /// <summary>The friend a presented ticket belongs to, or null (expired, forged, or no longer a friend).</summary>
    public string? VerifyTicket(ReadOnlySpan<byte> ticketId, ReadOnlySpan<byte> proof, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> message1)
    {
        var holder = _authority.Verify(ticketId, proof, challenge, message1, DateTimeOffset.UtcNow);
        return holder is not null && _isFriend(holder) ? holder : null;
    }

    /// <summary>Keeps a ticket another node issued to us, for the next time we dial that address.</summary>
    public void HoldTicket(string address, AdmissionTicket ticket)
    {
        if (_held.Count >= MaxHeldTickets && !_held.ContainsKey(address))
            foreach (var stale in _held.Where(t => t.Value.Expires <= DateTimeOffset.UtcNow).Select(t => t.Key).ToList()) _held.TryRemove(stale, out _);
        if (_held.Count < MaxHeldTickets || _held.ContainsKey(address)) _held[address] = ticket;
    }

    public AdmissionTicket? TicketFor(string address) =>
        _held.TryGetValue(address, out var ticket) && ticket.Expires > DateTimeOffset.UtcNow ? ticket : null;

    internal void CountChallenge() => Interlocked.Increment(ref _challengesSent);
    internal void CountPuzzle() => Interlocked.Increment(ref _puzzlesSolved);
    internal void CountTicket() => Interlocked.Increment(ref _ticketsAccepted);
    internal void CountFailure() => Interlocked.Increment(ref _admissionFailures);

    public LoadStatus Snapshot() => new(
        Math.Round(_meter.PerSecond, 1), PuzzleBits(), Limiter.Connections, Limiter.HandshakesInFlight, Limiter.Refused, Limiter.Evicted,
        Interlocked.Read(ref _challengesSent), Interlocked.Read(ref _puzzlesSolved), Interlocked.Read(ref _ticketsAccepted), Interlocked.Read(ref _admissionFailures));

    public static DreamException RateAbuse(double perSecond, int burst) =>
        new(AdmissionErrors.RateAbuse, DreamErrorKind.LimitExceeded, $"The peer sent FQTP messages faster than {perSecond:0.#} per second (burst {burst}).");

    public void Dispose() => _authority.Dispose();
}
