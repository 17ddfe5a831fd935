using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dreamwell.Node;
using Dreamwell.Node.Secure;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node;

/// <summary>Two real nodes on loopback: handshake, hello, pinning, heartbeats, and what they refuse.</summary>
public sealed class TesseractNodeTests
{
    [Fact]
    public async Task ARunningNodeRecordsItselfAndCleansUpOnStop()
    {
        using var temp = new TempHome();
        var node = TestNode.Start("solo", temp).Node;
        var info = TesseractNode.ReadInfo(temp.Home);
        Assert.NotNull(info);
        Assert.Equal(Environment.ProcessId, info.Pid);
        Assert.Equal(node.ControlPort, info.ControlPort);
        Assert.Equal(node.PeerPort, info.PeerPort);
        Assert.Equal("solo", info.Name);
        Assert.Equal(node.QuantumId, info.QuantumId);
        var token = ControlToken.PathIn(temp.Home);
        Assert.Equal(64, File.ReadAllText(token).Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(token));

        await node.StopAsync().WaitAsync(TestNode.Bound);
        Assert.False(File.Exists(TesseractNode.InfoPath(temp.Home)));
        Assert.False(File.Exists(token));
    }

    [Fact]
    public async Task TwoNodesHandshakeExchangeHellosPinKeysAndHeartbeat()
    {
        await using var alice = TestNode.Start("alice");
        await using var bob = TestNode.Start("bob");

        var seen = await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.Equal("bob", seen.Label);
        Assert.Equal(bob.Node.QuantumId, seen.QuantumId);
        Assert.Equal(PeerStates.Connected, seen.State);
        Assert.True(seen.ChainLength >= 1);

        await Poll.UntilAsync(() => bob.PeerNamed("alice")?.State == PeerStates.Connected, "bob to see alice");
        await Poll.UntilAsync(() => alice.PeerNamed("bob")?.Heartbeats >= 2 && bob.PeerNamed("alice")?.Heartbeats >= 2, "heartbeats both ways");

        var aliceAtBob = bob.PeerNamed("alice")!;
        Assert.Equal(alice.Node.QuantumId, aliceAtBob.QuantumId);
        Assert.Equal("Inbound", aliceAtBob.Direction);
        Assert.Equal(alice.Node.Status().HeadHash, aliceAtBob.HeadHash);
        Assert.NotNull(aliceAtBob.LastSeen);

        Assert.Contains(alice.Node.KnownPeers.All(), p => p.QuantumId == bob.Node.QuantumId && p.Label == "bob");
        Assert.Contains(bob.Node.KnownPeers.All(), p => p.QuantumId == alice.Node.QuantumId && p.Label == "alice");
        Assert.Contains(alice.Events, e => e.Kind == "Heartbeat" && e.QuantumId == bob.Node.QuantumId);
        Assert.Equal(1, alice.Node.Status().ConnectedPeers);

        // A second connection finds the key already pinned and is accepted.
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.Contains(alice.Events, e => e.Kind == "Hello" && e.Message.Contains("pinned key matches"));
    }

    [Fact]
    public async Task ANodeDoesNotLinkToItself()
    {
        await using var solo = TestNode.Start("solo");
        var error = await Assert.ThrowsAsync<DreamException>(() => solo.Node.ConnectAsync(solo.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(TesseractErrors.PeerRefused, error.ErrorId);
        Assert.Contains("itself", error.Message);
        Assert.Empty(solo.Node.KnownPeers.All());
        Assert.Equal("solo", (await TesseractClient.ForHome(solo.Home).StatusAsync().WaitAsync(TestNode.Bound)).Name);
    }

    [Fact]
    public async Task StatusNeedsTheControlToken()
    {
        await using var node = TestNode.Start("guarded");
        var client = TesseractClient.ForHome(node.Home);
        var status = await client.StatusAsync().WaitAsync(TestNode.Bound);
        Assert.Equal("guarded", status.Name);
        Assert.Equal(node.Node.PeerPort, status.PeerPort);
        Assert.Equal(node.Node.ControlPort, status.ControlPort);
        Assert.Equal(Environment.ProcessId, status.ProcessId);

        var wrong = await Assert.ThrowsAsync<DreamException>(() =>
            client.CallAsync("status", null, TestNode.Bound, CancellationToken.None, tokenOverride: new string('0', 64)).WaitAsync(TestNode.Bound));
        Assert.Equal(TesseractErrors.ControlUnauthorized, wrong.ErrorId);
        var empty = await Assert.ThrowsAsync<DreamException>(() =>
            client.CallAsync("status", null, TestNode.Bound, CancellationToken.None, tokenOverride: "").WaitAsync(TestNode.Bound));
        Assert.Equal(TesseractErrors.ControlUnauthorized, empty.ErrorId);

        var withoutToken = await RawControlAsync(node.Node.ControlPort, "{\"method\":\"status\"}\n");
        Assert.Contains(TesseractErrors.ControlUnauthorized, withoutToken);
        Assert.DoesNotContain(File.ReadAllText(ControlToken.PathIn(node.Home)), withoutToken);
    }

    [Fact]
    public async Task ControlRefusesOversizedAndMalformedRequestsAndUnknownMethods()
    {
        await using var node = TestNode.Start("strict");
        var huge = await RawControlAsync(node.Node.ControlPort, new string('x', 20_000) + "\n");
        Assert.Contains(TesseractErrors.ControlRequestTooLarge, huge);
        var garbage = await RawControlAsync(node.Node.ControlPort, "not json\n");
        Assert.Contains(TesseractErrors.ControlBadRequest, garbage);
        var client = TesseractClient.ForHome(node.Home);
        var unknown = await Assert.ThrowsAsync<DreamException>(() => client.CallAsync("format-disk", null, TestNode.Bound, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(TesseractErrors.UnknownMethod, unknown.ErrorId);
        Assert.Equal("strict", (await client.StatusAsync().WaitAsync(TestNode.Bound)).Name);
    }

    [Fact]
    public async Task StopOverControlStopsTheNode()
    {
        using var temp = new TempHome();
        var node = TestNode.Start("stoppable", temp).Node;
        await TesseractClient.ForHome(temp.Home).StopAsync().WaitAsync(TestNode.Bound);
        await node.Stopped.WaitAsync(TestNode.Bound);
        Assert.Null(TesseractNode.ReadInfo(temp.Home));
        var gone = Assert.Throws<DreamException>(() => TesseractClient.ForHome(temp.Home));
        Assert.Equal(TesseractErrors.NotRunning, gone.ErrorId);
    }

    [Fact]
    public void ControlRefusesANonLoopbackBind()
    {
        using var temp = new TempHome();
        var error = Assert.Throws<DreamException>(() => TesseractNode.Start(temp.Home, new TesseractOptions { ControlAddress = IPAddress.Any, ControlPort = 0, PeerPort = 0 }));
        Assert.Equal(TesseractErrors.NonLoopbackControl, error.ErrorId);
        Assert.Null(TesseractNode.ReadInfo(temp.Home));
    }

    [Fact]
    public async Task ASecondNodeForTheSameHomeIsRefused()
    {
        await using var node = TestNode.Start("first");
        var error = Assert.Throws<DreamException>(() => TesseractNode.Start(node.Home, new TesseractOptions { ControlPort = 0, PeerPort = 0 }));
        Assert.Equal(TesseractErrors.AlreadyRunning, error.ErrorId);
    }

    [Fact]
    public async Task ASwappedKeyForAPinnedQuantumIdIsRefused()
    {
        await using var alice = TestNode.Start("alice");
        await using var bob = TestNode.Start("bob");
        // Alice pinned another key for bob's QuantumId earlier: whoever answers on bob's port now is an impostor to her.
        using var impostorKey = IdentityKeyPair.Generate();
        var pins = new { peers = new[] { new { quantumId = bob.Node.QuantumId, publicKey = Convert.ToHexStringLower(impostorKey.PublicKey), label = "bob", firstSeen = DateTimeOffset.UtcNow } } };
        File.WriteAllText(Path.Combine(alice.Home.Path, KnownPeers.FileName), JsonSerializer.Serialize(pins));

        var error = await Assert.ThrowsAsync<DreamException>(() => alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(TesseractErrors.PeerKeyMismatch, error.ErrorId);
        Assert.Equal(PeerStates.Refused, alice.Node.Peers().Single(p => p.QuantumId == bob.Node.QuantumId).State);
        Assert.Contains(alice.Events, e => e.Kind == "PeerRefused");
        // The pin is unchanged: refusing never re-pins.
        Assert.Equal(Convert.ToHexStringLower(impostorKey.PublicKey), alice.Node.KnownPeers.All().Single().PublicKey);
        await Poll.UntilAsync(() => bob.Node.Peers().All(p => p.State != PeerStates.Connected), "bob to drop the refused link");
    }

    [Fact]
    public async Task AListenerThatPinnedAnotherKeyRefusesTheDialer()
    {
        await using var alice = TestNode.Start("alice");
        await using var bob = TestNode.Start("bob");
        using var impostorKey = IdentityKeyPair.Generate();
        var pins = new { peers = new[] { new { quantumId = alice.Node.QuantumId, publicKey = Convert.ToHexStringLower(impostorKey.PublicKey), label = "alice", firstSeen = DateTimeOffset.UtcNow } } };
        File.WriteAllText(Path.Combine(bob.Home.Path, KnownPeers.FileName), JsonSerializer.Serialize(pins));

        var error = await Assert.ThrowsAsync<DreamException>(() => alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(TesseractErrors.PeerRefused, error.ErrorId);
        Assert.Contains(TesseractErrors.PeerKeyMismatch, error.Message);
        await Poll.UntilAsync(() => bob.Node.Peers().Any(p => p.QuantumId == alice.Node.QuantumId && p.State == PeerStates.Refused), "bob to record the refusal");
        // Alice never got bob's hello, so she pinned nothing.
        Assert.Empty(alice.Node.KnownPeers.All());
    }

    [Fact]
    public async Task MalformedAndUnknownMessagesEndTheLinkButNotTheNode()
    {
        await using var bob = TestNode.Start("bob");

        foreach (var bad in new[] { "not json at all", "{\"type\":\"teleport\"}", "[1,2,3]", "{\"type\":\"hello\",\"version\":1}", "{\"type\":\"heartbeat\",\"sequence\":-1}" })
        {
            using var rogueKey = IdentityKeyPair.Generate();
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, bob.Node.PeerPort).WaitAsync(TestNode.Bound);
            using var link = await SecureChannel.ConnectAsync(tcp.GetStream(), rogueKey).WaitAsync(TestNode.Bound);
            await link.SendAsync(Encoding.UTF8.GetBytes(bad));
            // Bob answers with an error message and closes; he never goes on with this link.
            var answer = await link.ReceiveAsync().WaitAsync(TestNode.Bound);
            Assert.NotNull(answer);
            Assert.Contains(TesseractErrors.ProtocolViolation, Encoding.UTF8.GetString(answer));
            await ExpectClosedAsync(link);
        }

        // Plain garbage where a Noise handshake belongs.
        using (var raw = new TcpClient())
        {
            await raw.ConnectAsync(IPAddress.Loopback, bob.Node.PeerPort).WaitAsync(TestNode.Bound);
            await raw.GetStream().WriteAsync(Enumerable.Range(0, 4096).Select(i => (byte)(i * 31)).ToArray());
            var buffer = new byte[256];
            while (await raw.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TestNode.Bound) > 0) { }
        }

        // Bob is still up, answers control requests and takes a legitimate peer with heartbeats.
        Assert.Equal("bob", (await TesseractClient.ForHome(bob.Home).StatusAsync().WaitAsync(TestNode.Bound)).Name);
        await using var alice = TestNode.Start("alice");
        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => bob.PeerNamed("alice")?.Heartbeats >= 1, "a heartbeat from the legitimate peer");
        Assert.Contains(bob.Events, e => e.Kind is "PeerRefused" or "LinkClosed");
    }

    [Fact]
    public async Task AReplayedHeartbeatEndsTheLink()
    {
        await using var bob = TestNode.Start("bob");
        using var rogueKey = IdentityKeyPair.Generate();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, bob.Node.PeerPort).WaitAsync(TestNode.Bound);
        using var link = await SecureChannel.ConnectAsync(tcp.GetStream(), rogueKey).WaitAsync(TestNode.Bound);
        var qid = Dreamwell.Identity.DreamIdentity.QuantumIdOf(rogueKey.PublicKey);
        var head = new string('a', 64);
        await link.SendAsync(FqtpMessages.EncodeHello(m => rogueKey.Sign(m), link.HandshakeHash, "rogue", qid, "Human", 1, head));
        Assert.Contains("\"hello\"", Encoding.UTF8.GetString((await link.ReceiveAsync().WaitAsync(TestNode.Bound))!));
        var beat = FqtpMessages.EncodeHeartbeat(m => rogueKey.Sign(m), link.HandshakeHash, 0, 1, 1, head);
        await link.SendAsync(beat);
        await Poll.UntilAsync(() => bob.PeerNamed("rogue")?.Heartbeats == 1, "the first heartbeat");
        await link.SendAsync(beat);
        await Poll.UntilAsync(() => bob.PeerNamed("rogue")?.State == PeerStates.Closed, "the replay to end the link");
        Assert.Contains("replay", bob.PeerNamed("rogue")!.Reason);
    }

    private static async Task ExpectClosedAsync(SecureConnection link)
    {
        try
        {
            while (await link.ReceiveAsync().WaitAsync(TestNode.Bound) is not null) { }
        }
        catch (DreamException) { }
        catch (IOException) { }
    }

    private static async Task<string> RawControlAsync(int port, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TestNode.Bound);
        var stream = tcp.GetStream();
        try { await stream.WriteAsync(Encoding.UTF8.GetBytes(request)).AsTask().WaitAsync(TestNode.Bound); }
        catch (IOException) { /* the server may stop reading an oversized request early */ }
        using var reader = new StreamReader(stream);
        return await reader.ReadLineAsync().WaitAsync(TestNode.Bound) ?? "";
    }
}
