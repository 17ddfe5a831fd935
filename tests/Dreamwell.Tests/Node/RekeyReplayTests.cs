using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dreamwell.Node;
using Dreamwell.Node.Admission;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Node;

/// <summary>In-band rekeying of peer links (docs/protocol.md, "Rekey") and replayed transport frames.</summary>
public sealed class RekeyReplayTests
{
    [Fact]
    public async Task HeartbeatsKeepFlowingAcrossSeveralRekeysByMessageCount()
    {
        Func<TesseractOptions, TesseractOptions> everyFive = o => o with { Rekey = new RekeyOptions { AfterMessages = 5, HardMessages = 40 } };
        await using var bob = TestNode.Start("bob", configure: everyFive);
        await using var alice = TestNode.Start("alice", configure: everyFive);
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);

        await Poll.UntilAsync(() => bob.Node.FindLink("alice")?.Rekeys.Inbound >= 3 && alice.Node.FindLink("bob")?.Rekeys.Inbound >= 3, "three rekeys each way");
        var before = bob.PeerNamed("alice")!.Heartbeats;
        await Poll.UntilAsync(() => bob.PeerNamed("alice")?.Heartbeats >= before + 10, "heartbeats after the rekeys");
        Assert.Equal(PeerStates.Connected, bob.PeerNamed("alice")!.State);
        Assert.Equal(PeerStates.Connected, alice.PeerNamed("bob")!.State);
    }

    [Fact]
    public async Task LinksRekeyByTimeToo()
    {
        Func<TesseractOptions, TesseractOptions> often = o => o with { Rekey = new RekeyOptions { AfterTime = TimeSpan.FromMilliseconds(250), HardTime = TimeSpan.FromSeconds(5) } };
        await using var bob = TestNode.Start("bob", configure: often);
        await using var alice = TestNode.Start("alice", configure: often);
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => bob.Node.FindLink("alice")?.Rekeys.Inbound >= 3, "three timed rekeys");
        Assert.Equal(PeerStates.Connected, bob.PeerNamed("alice")!.State);
    }

    [Fact]
    public async Task APeerThatRekeysInTimeStaysAndOneThatNeverRekeysIsCutAtTheHardLimit()
    {
        await using var bob = TestNode.Start("bob", configure: o => o with { Rekey = new RekeyOptions { HardMessages = 20 } });
        using var polite = await RoguePeer.LinkAsync(bob.Node.PeerPort, Dreamwell.Node.Secure.IdentityKeyPair.Generate(), "polite");
        long sequence = 0;
        for (var rekey = 0; rekey < 3; rekey++)
        {
            for (var i = 0; i < 15; i++) await polite.Link.SendAsync(polite.Heartbeat(sequence++));
            await polite.Link.SendThenRekeyOutboundAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"rekey\",\"sequence\":{rekey}}}"));
        }
        await Poll.UntilAsync(() => bob.PeerNamed("polite")?.Heartbeats == 45, "all 45 heartbeats across three rekeys");
        Assert.Equal(PeerStates.Connected, bob.PeerNamed("polite")!.State);

        using var stubborn = await RoguePeer.LinkAsync(bob.Node.PeerPort, Dreamwell.Node.Secure.IdentityKeyPair.Generate(), "stubborn");
        try
        {
            for (var i = 0; i < 40; i++) await stubborn.Link.SendAsync(stubborn.Heartbeat(i));
        }
        catch (Exception e) when (e is DreamException or IOException) { /* cut before the last one */ }
        Assert.Contains("without rekeying", await stubborn.ReadUntilClosedAsync());
        await Poll.UntilAsync(() => bob.Events.Any(e => e.Kind == "Misbehaved" && e.QuantumId == stubborn.QuantumId), "bob to report the stubborn peer");
    }

    [Fact]
    public async Task ARekeyOutOfSequenceEndsTheLink()
    {
        await using var bob = TestNode.Start("bob");
        using var rogue = await RoguePeer.LinkAsync(bob.Node.PeerPort, Dreamwell.Node.Secure.IdentityKeyPair.Generate());
        await rogue.Link.SendThenRekeyOutboundAsync("{\"type\":\"rekey\",\"sequence\":7}"u8.ToArray());
        Assert.Contains("sequence 0", await rogue.ReadUntilClosedAsync());
    }

    [Fact]
    public async Task AReplayedTransportFrameFailsAuthenticationEndsTheLinkAndIsReported()
    {
        await using var bob = TestNode.Start("bob");
        await using var alice = TestNode.Start("alice");
        // alice → proxy → bob; the proxy sends alice's fifth frame (a heartbeat, after msg 1, msg 3, hello, heartbeat 0) twice.
        using var proxy = new ReplayingProxy(bob.Node.PeerPort, replayFrame: 4);
        await alice.Node.ConnectAsync($"127.0.0.1:{proxy.Port}", CancellationToken.None).WaitAsync(TestNode.Bound);

        await Poll.UntilAsync(() => bob.Events.Any(e => e.Kind == "Misbehaved" && e.QuantumId == alice.Node.QuantumId && e.Message.StartsWith(SecureChannelErrors.DecryptFailed)),
            "bob to refuse the replayed frame");
        await Poll.UntilAsync(() => bob.PeerNamed("alice")?.State == PeerStates.Closed, "bob to close the link");
        Assert.Contains("replayed", bob.PeerNamed("alice")!.Reason);
        Assert.Equal("bob", (await TesseractClient.ForHome(bob.Home).StatusAsync().WaitAsync(TestNode.Bound)).Name);
    }

    [Fact]
    public async Task AHandshakeReplayedFromARecordedSessionFailsAuthentication()
    {
        await using var bob = TestNode.Start("bob");
        await using var alice = TestNode.Start("alice");
        using (var proxy = new ReplayingProxy(bob.Node.PeerPort, replayFrame: -1))
        {
            await alice.Node.ConnectAsync($"127.0.0.1:{proxy.Port}", CancellationToken.None).WaitAsync(TestNode.Bound);
            await Poll.UntilAsync(() => proxy.Recorded.Count >= 3, "alice's handshake and hello to be recorded");
            // Replay alice's message 1 and message 3 on a fresh connection: bob's new ephemeral key makes message 3 fail.
            using var tcp = new TcpClient { NoDelay = true };
            await tcp.ConnectAsync(IPAddress.Loopback, bob.Node.PeerPort).WaitAsync(TestNode.Bound);
            var stream = tcp.GetStream();
            await stream.WriteAsync(proxy.Recorded[0]);
            Assert.NotNull(await FrameIo.ReadAsync(stream, CancellationToken.None).WaitAsync(TestNode.Bound));
            await stream.WriteAsync(proxy.Recorded[1]);
            Assert.Equal(0, await stream.ReadAsync(new byte[64]).AsTask().WaitAsync(TestNode.Bound));
        }
        await Poll.UntilAsync(() => bob.Events.Any(e => e.Kind == "HandshakeFailed"), "bob to refuse the replayed handshake");
        // The only link bob ever had with alice is the genuine one.
        Assert.Single(bob.Node.Peers(), p => p.QuantumId == alice.Node.QuantumId);
    }

    /// <summary>A one-connection TCP relay that duplicates one frame (2-byte big-endian length framing) from the dialer.</summary>
    private sealed class ReplayingProxy : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<IDisposable> _owned = [];

        public ReplayingProxy(int targetPort, int replayFrame)
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = RelayAsync(targetPort, replayFrame);
        }

        public int Port { get; }

        /// <summary>The dialer's frames as they passed (length prefix included), in order.</summary>
        public List<byte[]> Recorded { get; } = [];

        private async Task RelayAsync(int targetPort, int replayFrame)
        {
            try
            {
                var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
                var outbound = new TcpClient { NoDelay = true };
                lock (_owned) { _owned.Add(inbound); _owned.Add(outbound); }
                await outbound.ConnectAsync(IPAddress.Loopback, targetPort, _stop.Token);
                var back = inbound.GetStream();
                var forth = outbound.GetStream();
                _ = forth.CopyToAsync(back, _stop.Token);
                var header = new byte[2];
                for (var index = 0; ; index++)
                {
                    await back.ReadExactlyAsync(header, _stop.Token);
                    var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
                    await back.ReadExactlyAsync(body, _stop.Token);
                    var frame = header.Concat(body).ToArray();
                    lock (Recorded) Recorded.Add(frame);
                    await forth.WriteAsync(frame, _stop.Token);
                    if (index == replayFrame) await forth.WriteAsync(frame, _stop.Token);
                }
            }
            catch (Exception) { /* the relay ends with either side */ }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_owned) foreach (var item in _owned) item.Dispose();
        }
    }
}
