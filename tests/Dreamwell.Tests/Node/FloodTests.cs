using System.Diagnostics;
using Dreamwell.Node;
using Xunit.Abstractions;

namespace Dreamwell.Tests.Node;

/// <summary>
/// A bounded connection flood on loopback (≥ 5,000 attempts over ≥ 10 s) while a friend reconnects and a stranger
/// connects: both handshakes complete. Times are reported, never asserted (the figures live in docs/benchmarks.md,
/// measured by `dotnet run -c Release --project bench/Dreamwell.Bench -- node-flood`).
/// </summary>
public sealed class FloodTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AFriendAndAStrangerStillGetInDuringAFloodOfFiveThousandConnectionAttempts()
    {
        // Default limits except the hardest puzzle: carol solves it in-process within the 10 s handshake timeout even on a loaded 2-core CI runner.
        await using var bob = TestNode.Start("bob", configure: o => o with { Load = new Dreamwell.Node.Admission.LoadOptions { PuzzleMaxBits = 16 } });
        await using var alice = TestNode.Start("alice");
        await using var carol = TestNode.Start("carol");
        bob.Node.Friends.Add(alice.Node.QuantumId, "alice", null);

        // A recent session gives alice her ticket.
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => alice.Node.Load.TicketFor(bob.PeerAddress) is not null, "bob's ticket to reach alice");
        await alice.Node.FindLink(bob.Node.QuantumId)!.DisconnectAsync("test: reconnect during the flood");
        await Poll.UntilAsync(() => bob.PeerNamed("alice")?.State == PeerStates.Closed, "bob to see the link close");

        var flood = new LoopbackFlood(bob.Node.PeerPort);
        using var stopFlood = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var flooding = flood.RunAsync(TimeSpan.FromSeconds(10), 5_000, stopFlood.Token);
        await Poll.UntilAsync(() => bob.Node.LoadStatus().PuzzleBits > 0, "the flood to put bob under load", Generous);

        var friend = Stopwatch.StartNew();
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(Generous);
        friend.Stop();
        var stranger = Stopwatch.StartNew();
        await carol.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(Generous);
        stranger.Stop();
        var during = bob.Node.LoadStatus();

        await flooding.WaitAsync(TimeSpan.FromSeconds(90));
        output.WriteLine($"flood: {flood.Attempts} attempts ({flood.Failed} failed at connect/write)");
        output.WriteLine($"friend (ticket) handshake + hello during the flood: {friend.Elapsed.TotalMilliseconds:0} ms; stranger (puzzle): {stranger.Elapsed.TotalMilliseconds:0} ms");
        output.WriteLine($"bob while flooded: {during}");
        output.WriteLine($"bob after: {bob.Node.LoadStatus()}");

        Assert.True(flood.Attempts >= 5_000);
        Assert.True(during.TicketsAccepted >= 1, "alice should have presented her ticket");
        Assert.True(during.PuzzlesSolved >= 1, "carol should have solved the puzzle");
        Assert.Contains(bob.Events, e => e.Kind == "UnderLoad");
        Assert.True(bob.Events.Count(e => e.Kind == "HandshakeFailed") < flood.Attempts / 10, "the flood's failures should not each become an event");
        Assert.Equal(PeerStates.Connected, bob.PeerNamed("alice")!.State);
        Assert.Equal(PeerStates.Connected, bob.PeerNamed("carol")!.State);
    }
}
