using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dreamwell.Identity;
using Dreamwell.Node;
using Dreamwell.Node.Secure;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node;

/// <summary>What the transfer tests share: random files, the node's transfer services, and a hand-driven rogue peer.</summary>
internal static class TransferSupport
{
    public static string RandomFile(TempHome temp, string name, int bytes, int seed)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        var path = temp.File(name);
        File.WriteAllBytes(path, data);
        return path;
    }

    public static FileTransfer Files(this TestNode node) => node.Node.Services.OfType<FileTransfer>().Single();

    public static ContentExchange Content(this TestNode node) => node.Node.Services.OfType<ContentExchange>().Single();

    public static async Task<(TestNode A, TestNode B)> ConnectedPairAsync(string a, string b)
    {
        var first = TestNode.Start(a);
        var second = TestNode.Start(b);
        await first.Node.ConnectAsync(second.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        await Poll.UntilAsync(() => second.Node.FindLink(a) is not null, $"{b} to see {a}");
        return (first, second);
    }

    public static string InboxFile(TestNode node, string name) => Path.Combine(InboxName.Folder(node.Home), name);

    /// <summary>Progress that runs its handler on the reporting thread, so a test can act at an exact point of a send.</summary>
    public sealed class Inline(Action<DreamProgress> handler) : IProgress<DreamProgress>
    {
        public void Report(DreamProgress value) => handler(value);
    }
}

/// <summary>A peer driven by hand over the real secure channel: it speaks whatever a test makes it say.</summary>
internal sealed class RoguePeer : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly IdentityKeyPair _key;

    private RoguePeer(TcpClient tcp, IdentityKeyPair key, SecureConnection link)
    {
        _tcp = tcp;
        _key = key;
        Link = link;
    }

    public SecureConnection Link { get; }
    public string QuantumId => DreamIdentity.QuantumIdOf(_key.PublicKey);

    public static async Task<RoguePeer> ConnectAsync(TestNode target, string name = "rogue")
    {
        var key = IdentityKeyPair.Generate();
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, target.Node.PeerPort).WaitAsync(TestNode.Bound);
        var link = await SecureChannel.ConnectAsync(tcp.GetStream(), key).WaitAsync(TestNode.Bound);
        var peer = new RoguePeer(tcp, key, link);
        await link.SendAsync(FqtpMessages.EncodeHello(m => key.Sign(m), link.HandshakeHash, name, peer.QuantumId, "Human", 0, new string('0', 64))).WaitAsync(TestNode.Bound);
        var (type, _) = await peer.NextAsync();
        Assert.Equal("hello", type);
        return peer;
    }

    public Task SendJsonAsync(object message) => Link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message)).WaitAsync(TestNode.Bound);

    /// <summary>The next JSON message other than a heartbeat (binary frames are returned with type "binary").</summary>
    public async Task<(string Type, JsonElement Body)> NextAsync()
    {
        while (true)
        {
            var message = await Link.ReceiveAsync().WaitAsync(TestNode.Bound) ?? throw new IOException("The node closed the link.");
            if (message.Length > 0 && message[0] != (byte)'{') return ("binary", JsonSerializer.SerializeToElement(Convert.ToBase64String(message)));
            var (type, body) = FqtpMessages.Parse(message);
            if (type != FqtpMessages.Heartbeat) return (type, body);
        }
    }

    public ValueTask DisposeAsync()
    {
        Link.Dispose();
        _tcp.Dispose();
        _key.Dispose();
        return default;
    }
}
