using System.Collections.Concurrent;
using Dreamwell.Node;
using Dreamwell.Node.Discovery;
using Dreamwell.Tests.Discovery;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node.Lifecycle;

/// <summary>In-process nodes for the lifecycle tests: temp home, ephemeral loopback ports, optional discovery on a shared port.</summary>
internal sealed class LifecycleNode : IAsyncDisposable
{
    private LifecycleNode(TempHome temp, TesseractNode node, ConcurrentQueue<TesseractEvent> events)
    {
        Temp = temp;
        Node = node;
        Events = events;
    }

    public TempHome Temp { get; }
    public TesseractNode Node { get; }
    public ConcurrentQueue<TesseractEvent> Events { get; }
    public string PeerAddress => $"127.0.0.1:{Node.PeerPort}";

    /// <summary>A discovery setting private to one test: loopback, a random port, fast re-queries.</summary>
    public static DiscoveryOptions PrivateDiscovery() => LoopbackMulticast.Options();

    public static LifecycleNode Start(string name, DiscoveryOptions? discovery = null, TimeSpan? heartbeat = null)
    {
        var temp = new TempHome();
        var events = new ConcurrentQueue<TesseractEvent>();
        var node = TesseractNode.Start(temp.Home, new TesseractOptions
        {
            Name = name, ControlPort = 0, PeerPort = 0, HeartbeatInterval = heartbeat ?? TimeSpan.FromMilliseconds(100),
            Discovery = discovery, OnEvent = events.Enqueue,
        });
        return new LifecycleNode(temp, node, events);
    }

    public TesseractPeer? Peer(string quantumId) => Node.Peers().FirstOrDefault(p => p.QuantumId == quantumId);

    public async ValueTask DisposeAsync()
    {
        await Node.StopAsync().WaitAsync(TestNode.Bound);
        Temp.Dispose();
    }
}
