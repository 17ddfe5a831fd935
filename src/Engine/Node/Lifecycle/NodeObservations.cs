using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dreamwell.Quantum;

namespace Dreamwell.Node;

/// <summary>
/// Watches the running node (links up and down, handshakes, refusals, misbehaviour, heartbeats) and turns what it saw
/// into the five <see cref="ServiceObservation"/>s of the health model. The mapping is docs/health-model.md §7; keep
/// the two in step. Rates use the last <see cref="Window"/>; counters are since start.
/// </summary>
internal sealed class NodeObservations : PeerService
{
    /// <summary>How far back error rates and handshake latency look.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private const int MaxOutcomes = 1024;

    /// <summary>A node's Peers service is at full capacity with one link (the model's default of 8 suits a hub, not a person's node).</summary>
    public static readonly TesseractHealthOptions HealthOptions = new() { PeerTarget = 1 };

    private readonly object _gate = new();
    private readonly Queue<(long At, bool Ok, double Ms)> _outcomes = new();
    private readonly Dictionary<PeerLink, long> _openSince = new();
    private long _linksUp, _linksDown, _handshakes, _handshakeFailures, _refused, _misbehaviours;

    public override void LinkUp(PeerLink link)
    {
        lock (_gate) _openSince[link] = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _linksUp);
    }

    public override void LinkDown(PeerLink link, string reason)
    {
        lock (_gate) _openSince.Remove(link);
        Interlocked.Increment(ref _linksDown);
    }

    /// <summary>A handshake and hello exchange succeeded after <paramref name="took"/>.</summary>
    public void HandshakeCompleted(TimeSpan took)
    {
        Interlocked.Increment(ref _handshakes);
        Add(ok: true, took.TotalMilliseconds);
    }

    /// <summary>Every node event passes here (TesseractNode.Raise); the failures among them count against FQTP.</summary>
    public void Saw(string kind)
    {
        switch (kind)
        {
            case "HandshakeFailed": Interlocked.Increment(ref _handshakeFailures); Add(ok: false, 0); break;
            case "PeerRefused": Interlocked.Increment(ref _refused); Add(ok: false, 0); break;
            case "Misbehaved": Interlocked.Increment(ref _misbehaviours); Add(ok: false, 0); break;
        }
    }

    private void Add(bool ok, double ms)
    {
        lock (_gate)
        {
            _outcomes.Enqueue((Stopwatch.GetTimestamp(), ok, ms));
            while (_outcomes.Count > MaxOutcomes) _outcomes.Dequeue();
        }
    }

    /// <summary>Observes the node now (one loopback connect to the control port, a look at the content folder) and evaluates ρ.</summary>
    public NodeHealth Observe(TesseractNode node, bool chainValid, TimeSpan chainProbe, int discovered, long discoveryMalformed)
    {
        var now = Stopwatch.GetTimestamp();
        double failures = 0, successes = 0;
        var latencies = new List<double>();
        var links = new List<(PeerLink Link, long Since)>();
        lock (_gate)
        {
            while (_outcomes.Count > 0 && Stopwatch.GetElapsedTime(_outcomes.Peek().At, now) > Window) _outcomes.Dequeue();
            foreach (var (_, ok, ms) in _outcomes)
            {
                if (ok) { successes++; latencies.Add(ms); }
                else failures++;
            }
            links.AddRange(_openSince.Select(p => (p.Key, p.Value)).Where(p => p.Key.IsOpen));
        }

        var interval = node.Options.HeartbeatInterval;
        long expected = 0, received = 0, missed = 0;
        double lateness = 0;
        foreach (var (link, since) in links)
        {
            var peer = link.Snapshot();
            // The peer's timer starts when its side of the link is up: one beat may still be in flight.
            var due = Math.Max(0, (long)(Stopwatch.GetElapsedTime(since, now) / interval) - 1);
            expected += due;
            received += peer.Heartbeats;
            missed += Math.Max(0, due - peer.Heartbeats);
            var silence = DateTimeOffset.UtcNow - (peer.LastSeen ?? DateTimeOffset.UtcNow);
            lateness += Math.Max(0, (silence - interval).TotalMilliseconds);
        }

        var observations = new List<ServiceObservation>
        {
            new() { Service = TesseractService.Universe, Up = chainValid, LatencyMs = chainProbe.TotalMilliseconds },
            new()
            {
                Service = TesseractService.FQTP,
                ErrorRate = failures / (failures + successes + 1),
                LatencyMs = Median(latencies),
            },
            Probe(TesseractService.LQTP, () => ProbeControl(node.ControlPort), attempts: 3),
            Probe(TesseractService.QCloud, () => ProbeContent(node.Home), attempts: 1),
        };
        // An isolated node has nothing to observe on Peers: the model reports NoObservation (Degraded), not a collapse.
        if (links.Count > 0)
            observations.Add(new ServiceObservation
            {
                Service = TesseractService.Peers,
                PeerCount = links.Count,
                ErrorRate = expected == 0 ? 0 : Math.Min(1, missed / (double)expected),
                LatencyMs = lateness / links.Count,
            });

        var health = new TesseractHealth(HealthOptions);
        health.Observe(observations);
        var counters = new NodeCounters(Interlocked.Read(ref _linksUp), Interlocked.Read(ref _linksDown), links.Count,
            Interlocked.Read(ref _handshakes), Interlocked.Read(ref _handshakeFailures), Interlocked.Read(ref _refused),
            Interlocked.Read(ref _misbehaviours), received, expected, chainValid, discovered, discoveryMalformed);
        return NodeHealth.From(health.Report(), observations.ToArray(), counters);
    }

    /// <summary>Runs a probe; its latency is the fastest of the attempts, like ping's minimum, so a busy scheduler is not read as a slow service.</summary>
    private static ServiceObservation Probe(TesseractService service, Func<bool> probe, int attempts)
    {
        var fastest = double.MaxValue;
        for (var i = 0; i < attempts; i++)
        {
            var began = Stopwatch.GetTimestamp();
            bool up;
            try { up = probe(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException or TimeoutException) { up = false; }
            if (!up) return new ServiceObservation { Service = service, Up = false };
            fastest = Math.Min(fastest, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
        }
        return new ServiceObservation { Service = service, LatencyMs = fastest };
    }

    private static bool ProbeControl(int port)
    {
        // Synchronous non-blocking connect + poll: status runs on the thread pool, and waiting there on an async connect
        // could starve behind the very work it measures.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        try { socket.Connect(IPAddress.Loopback, port); return true; }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            return socket.Poll(TimeSpan.FromSeconds(1), SelectMode.SelectWrite) && !socket.Poll(0, SelectMode.SelectError)
                && (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)! == 0;
        }
    }

    /// <summary>The store's folder (when one exists) must be a readable directory.</summary>
    private static bool ProbeContent(DreamHome home)
    {
        var root = Path.Combine(home.Path, Dreamwell.Content.ContentStore.FolderName);
        if (!Directory.Exists(home.Path)) return false;
        if (File.Exists(root)) return false;
        if (Directory.Exists(root)) _ = Directory.EnumerateFileSystemEntries(root).Take(1).Count();
        return true;
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0) return 0;
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
