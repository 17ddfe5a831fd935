using System.Net;
using System.Net.Sockets;
using System.Text;
using Dreamwell.Node;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Node;

/// <summary>The FQTP wire details a second implementation must match, and the checks a node makes on them.</summary>
public sealed class FqtpMessageTests
{
    [Fact]
    public void SignedBytesAreDomainZeroHandshakeHashAndLengthPrefixedFields()
    {
        var hash = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var bytes = FqtpMessages.SignedBytes(FqtpMessages.HeartbeatDomain, hash, "7", "é");
        var expected = Encoding.UTF8.GetBytes("dreamwell-fqtp-heartbeat-v1")
            .Concat(new byte[] { 0 }).Concat(hash)
            .Concat(new byte[] { 0, 0, 0, 1, (byte)'7' })
            .Concat(new byte[] { 0, 0, 0, 2, 0xC3, 0xA9 })
            .ToArray();
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public async Task AHelloThatClaimsAnotherQuantumIdIsRefused()
    {
        await using var bob = TestNode.Start("bob");
        var (tcp, link, key) = await RogueAsync(bob);
        using (tcp) using (link) using (key)
        {
            await link.SendAsync(FqtpMessages.EncodeHello(m => key.Sign(m), link.HandshakeHash, "mallory", bob.Node.QuantumId, "Human", 1, new string('c', 64)));
            var answer = Encoding.UTF8.GetString((await link.ReceiveAsync().WaitAsync(TestNode.Bound))!);
            Assert.Contains("\"type\":\"error\"", answer);
            Assert.Contains(TesseractErrors.PeerKeyMismatch, answer);
        }
        Assert.Empty(bob.Node.KnownPeers.All());
    }

    [Fact]
    public async Task AHelloSignedForAnotherSessionIsRefused()
    {
        await using var bob = TestNode.Start("bob");
        var (tcp, link, key) = await RogueAsync(bob);
        using (tcp) using (link) using (key)
        {
            var qid = Dreamwell.Identity.DreamIdentity.QuantumIdOf(key.PublicKey);
            await link.SendAsync(FqtpMessages.EncodeHello(m => key.Sign(m), new byte[32], "replayed", qid, "Human", 1, new string('c', 64)));
            var answer = Encoding.UTF8.GetString((await link.ReceiveAsync().WaitAsync(TestNode.Bound))!);
            Assert.Contains(TesseractErrors.BadSignature, answer);
        }
    }

    [Fact]
    public async Task AChainThatShrinksBetweenHeartbeatsEndsTheLinkAsAFork()
    {
        await using var bob = TestNode.Start("bob");
        var (tcp, link, key) = await RogueAsync(bob);
        using (tcp) using (link) using (key)
        {
            var qid = Dreamwell.Identity.DreamIdentity.QuantumIdOf(key.PublicKey);
            await link.SendAsync(FqtpMessages.EncodeHello(m => key.Sign(m), link.HandshakeHash, "shrinker", qid, "Human", 5, new string('c', 64)));
            await link.ReceiveAsync().WaitAsync(TestNode.Bound);
            await link.SendAsync(FqtpMessages.EncodeHeartbeat(m => key.Sign(m), link.HandshakeHash, 0, 1, 4, new string('d', 64)));
            await Poll.UntilAsync(() => bob.PeerNamed("shrinker")?.State == PeerStates.Closed, "the link to close");
            Assert.Contains("fork", bob.PeerNamed("shrinker")!.Reason);
        }
    }

    [Fact]
    public async Task RawLqtpMatchesTheDocumentedShape()
    {
        await using var node = TestNode.Start("raw");
        var token = File.ReadAllText(ControlToken.PathIn(node.Home));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, node.Node.ControlPort).WaitAsync(TestNode.Bound);
        var stream = tcp.GetStream();
        // Two requests on one connection, CRLF line ends: one answer line each, in order.
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"{{\"token\":\"{token}\",\"method\":\"status\"}}\r\n{{\"token\":\"{token}\",\"method\":\"peers\"}}\n"));
        using var reader = new StreamReader(stream);
        var status = await reader.ReadLineAsync().WaitAsync(TestNode.Bound);
        var peers = await reader.ReadLineAsync().WaitAsync(TestNode.Bound);
        Assert.StartsWith("{\"ok\":true,\"result\":{\"name\":\"raw\",\"quantumId\":\"" + node.Node.QuantumId + "\"", status);
        Assert.Contains($"\"controlPort\":{node.Node.ControlPort},\"peerPort\":{node.Node.PeerPort}", status);
        Assert.Equal("{\"ok\":true,\"result\":[]}", peers);
    }

    private static async Task<(TcpClient, SecureConnection, IdentityKeyPair)> RogueAsync(TestNode node)
    {
        var key = IdentityKeyPair.Generate();
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, node.Node.PeerPort).WaitAsync(TestNode.Bound);
        var link = await SecureChannel.ConnectAsync(tcp.GetStream(), key).WaitAsync(TestNode.Bound);
        return (tcp, link, key);
    }
}
