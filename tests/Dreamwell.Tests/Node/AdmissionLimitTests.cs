using System.Net;
using System.Net.Sockets;
using Dreamwell.Identity;
using Dreamwell.Node;
using Dreamwell.Node.Admission;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Node;

/// <summary>Connection limits per address, in total and while handshaking, and the per-peer message rate.</summary>
public sealed class AdmissionLimitTests
{
    [Fact]
    public async Task ConnectionsBeyondThePerAddressLimitAreClosedWhileOtherAddressesStillGetIn()
    {
        await using var bob = TestNode.Start("bob", configure: o => o with { Load = new LoadOptions { MaxConnectionsPerAddress = 2 } });
        using var first = await OpenAsync(bob, "127.0.0.2");
        using var second = await OpenAsync(bob, "127.0.0.2");
        await Poll.UntilAsync(() => bob.Node.LoadStatus().Connections == 2, "two connections to be counted");

        using var third = await OpenAsync(bob, "127.0.0.2");
        Assert.Equal(0, await third.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TestNode.Bound));
        Assert.Equal(1, bob.Node.LoadStatus().Refused);

        await using var alice = TestNode.Start("alice");
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.Equal(3, bob.Node.LoadStatus().Connections);
    }

    [Fact]
    public async Task AFullHandshakeTableEvictsTheOldestUnadmittedConnectionSoAFriendStillGetsIn()
    {
        await using var bob = TestNode.Start("bob", configure: o => o with { Load = new LoadOptions { MaxHandshakesInFlight = 4 } });
        var idle = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 4; i++) idle.Add(await OpenAsync(bob, "127.0.0.3"));
            await Poll.UntilAsync(() => bob.Node.LoadStatus().HandshakesInFlight == 4, "four idle handshakes to be counted");

            await using var alice = TestNode.Start("alice");
            await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
            Assert.Equal(1, bob.Node.LoadStatus().Evicted);
            Assert.Equal(0, await idle[0].GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TestNode.Bound));
        }
        finally
        {
            foreach (var client in idle) client.Dispose();
        }
    }

    [Fact]
    public async Task APeerSendingFasterThanItsMessageRateIsCutAndReportedAsRateAbuse()
    {
        await using var bob = TestNode.Start("bob", configure: o => o with { Load = new LoadOptions { PeerMessagesPerSecond = 5, PeerMessageBurst = 10 } });
        using var key = IdentityKeyPair.Generate();
        using var rogue = await RoguePeer.LinkAsync(bob.Node.PeerPort, key);
        try
        {
            for (var sequence = 0; sequence < 40; sequence++) await rogue.Link.SendAsync(rogue.Heartbeat(sequence)).WaitAsync(TestNode.Bound);
        }
        catch (Exception e) when (e is DreamException or IOException) { /* bob may cut us before the last one */ }
        Assert.Contains(AdmissionErrors.RateAbuse, await rogue.ReadUntilClosedAsync());
        await Poll.UntilAsync(() => bob.Events.Any(e => e.Kind == "Misbehaved" && e.QuantumId == rogue.QuantumId && e.Message.StartsWith(AdmissionErrors.RateAbuse)), "bob to report the rate abuse");
    }

    [Fact]
    public void EvictionTakesFromTheAddressHoldingTheMostHandshakesSoALoneFriendIsTheLastToGo()
    {
        var limiter = new ConnectionLimiter(new LoadOptions { MaxHandshakesInFlight = 4 });
        var flood = IPAddress.Parse("127.0.0.9");
        var evicted = new List<string>();
        var friend = limiter.TryOpen(IPAddress.Loopback, () => evicted.Add("friend"))!;
        for (var i = 0; i < 20; i++) Assert.NotNull(limiter.TryOpen(flood, () => evicted.Add("flood")));
        Assert.Equal(17, evicted.Count);
        Assert.DoesNotContain("friend", evicted);
        friend.Admitted();
        Assert.Equal(4, limiter.HandshakesInFlight);
    }

    [Fact]
    public void ATokenBucketAllowsItsBurstThenItsRate()
    {
        long now = 0;
        var bucket = new TokenBucket(perSecond: 10, capacity: 3, () => now);
        Assert.True(bucket.TryTake() && bucket.TryTake() && bucket.TryTake());
        Assert.False(bucket.TryTake());
        now += 100;
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
    }

    [Fact]
    public void ThePuzzleGetsHarderAsTheAttemptRateDoubles()
    {
        var guard = new LoadGuard(new LoadOptions { PuzzleThreshold = 10, PuzzleBaseBits = 12, PuzzleBitsPerDoubling = 2, PuzzleMaxBits = 20 }, _ => false, () => 500);
        Assert.Equal(0, guard.PuzzleBits());
        var bits = new List<int>();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            guard.Accept(IPAddress.Loopback, () => { })?.Dispose();
            bits.Add(guard.PuzzleBits());
        }
        Assert.Equal(0, bits[5]);
        Assert.Equal(12, bits[15]);
        Assert.Equal(14, bits[25]);
        Assert.Equal(20, bits[199]);
        Assert.Equal(bits.Order(), bits);
    }

    private static async Task<TcpClient> OpenAsync(TestNode node, string source)
    {
        var client = new TcpClient(new IPEndPoint(IPAddress.Parse(source), 0)) { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, node.Node.PeerPort).WaitAsync(TestNode.Bound);
        return client;
    }
}
