using System.Collections.Concurrent;
using Dreamwell.Node;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node;

/// <summary>A node in its own temp home on ephemeral loopback ports, with a fast heartbeat and its events recorded.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private TestNode(TempHome temp, TesseractNode node, ConcurrentQueue<TesseractEvent> events)
    {
        Temp = temp;
        Node = node;
        Events = events;
    }

    public TempHome Temp { get; }
    public DreamHome Home => Temp.Home;
    public TesseractNode Node { get; }
    public ConcurrentQueue<TesseractEvent> Events { get; }
    public string PeerAddress => $"127.0.0.1:{Node.PeerPort}";

    public static TestNode Start(string name, TempHome? temp = null, Func<TesseractOptions, TesseractOptions>? configure = null, TimeProvider? clock = null)
    {
        temp ??= new TempHome();
        var events = new ConcurrentQueue<TesseractEvent>();
        var options = new TesseractOptions
        {
            Name = name, ControlPort = 0, PeerPort = 0, HeartbeatInterval = TimeSpan.FromMilliseconds(100), OnEvent = events.Enqueue,
            Clock = clock ?? TimeProvider.System,
        };
        var node = TesseractNode.Start(temp.Home, configure is null ? options : configure(options));
        return new TestNode(temp, node, events);
    }

    public TesseractPeer? PeerNamed(string label) => Node.Peers().FirstOrDefault(p => p.Label == label);

    public async ValueTask DisposeAsync()
    {
        await Node.StopAsync().WaitAsync(Bound);
        Temp.Dispose();
    }
}

internal static class Poll
{
    /// <summary>Waits for a condition with a generous deadline instead of guessing a delay.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        var end = DateTime.UtcNow + (deadline ?? TestNode.Bound);
        while (!condition())
        {
            if (DateTime.UtcNow > end) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(20);
        }
    }
}
