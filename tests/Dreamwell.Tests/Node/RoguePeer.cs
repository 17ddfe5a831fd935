using System.Net;
using System.Net.Sockets;
using System.Text;
using Dreamwell.Identity;
using Dreamwell.Node;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Node;

/// <summary>A hand-driven peer: a real secure session and hello, then whatever frames a test wants to send.</summary>
internal sealed class RoguePeer : IDisposable, IAsyncDisposable
{
    private bool _ownsKey;

    private RoguePeer(TcpClient tcp, SecureConnection link, IdentityKeyPair key)
    {
        Tcp = tcp;
        Link = link;
        Key = key;
    }

    public TcpClient Tcp { get; }
    public SecureConnection Link { get; }
    public IdentityKeyPair Key { get; }
    public string QuantumId => DreamIdentity.QuantumIdOf(Key.PublicKey);

    /// <summary>Handshake only (no hello): for frames that must hit the node before the FQTP layer accepts the peer.</summary>
    public static async Task<RoguePeer> HandshakeAsync(int port, IdentityKeyPair key, SecureChannelOptions? options = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TestNode.Bound);
            var link = await SecureChannel.ConnectAsync(tcp.GetStream(), key, options ?? SecureChannelOptions.Default).WaitAsync(TestNode.Bound);
            return new RoguePeer(tcp, link, key);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Handshake, our hello, and the node's answer (its hello) read.</summary>
    public static async Task<RoguePeer> LinkAsync(int port, IdentityKeyPair key, string name = "rogue")
    {
        var peer = await HandshakeAsync(port, key);
        try
        {
            await peer.Link.SendAsync(peer.Hello(name)).WaitAsync(TestNode.Bound);
            var answer = await peer.Link.ReceiveAsync().WaitAsync(TestNode.Bound);
            if (answer is null || !Encoding.UTF8.GetString(answer).Contains("\"hello\"")) throw new RefusedException(answer is null ? "(closed)" : Encoding.UTF8.GetString(answer));
            return peer;
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>Handshake only, with a given or fresh key (the caller keeps the key it passes).</summary>
    public static async Task<RoguePeer> OpenAsync(TestNode node, IdentityKeyPair? key = null)
    {
        var owned = key is null;
        key ??= IdentityKeyPair.Generate();
        var peer = await HandshakeAsync(node.Node.PeerPort, key);
        peer._ownsKey = owned;
        return peer;
    }

    public static string QuantumIdOf(IdentityKeyPair key) => DreamIdentity.QuantumIdOf(key.PublicKey);

    public Task SendHelloAsync(string name, long chainLength, string headHash) =>
        Link.SendAsync(FqtpMessages.EncodeHello(m => Key.Sign(m), Link.HandshakeHash, name, QuantumId, "Human", chainLength, headHash));

    public Task SendHeartbeatAsync(long sequence, long chainLength, string headHash, byte[]? handshakeHash = null) =>
        Link.SendAsync(FqtpMessages.EncodeHeartbeat(m => Key.Sign(m), handshakeHash ?? Link.HandshakeHash, sequence, 1, chainLength, headHash));

    /// <summary>The node's next message as text, or null when it closed the link.</summary>
    public async Task<string?> ReceiveTextAsync()
    {
        try
        {
            var message = await Link.ReceiveAsync().WaitAsync(TestNode.Bound);
            return message is null ? null : Encoding.UTF8.GetString(message);
        }
        catch (DreamException) { return null; }
        catch (IOException) { return null; }
    }

    /// <summary>Every message the node sends until it closes the link.</summary>
    public async Task<List<string>> ReceiveAllTextAsync()
    {
        var all = new List<string>();
        while (await ReceiveTextAsync() is { } text) all.Add(text);
        return all;
    }

    /// <summary>A fresh identity linked to a test node (hello exchanged); the peer owns and disposes the key.</summary>
    public static async Task<RoguePeer> ConnectAsync(TestNode target, string name = "rogue")
    {
        var key = IdentityKeyPair.Generate();
        try
        {
            var peer = await LinkAsync(target.Node.PeerPort, key, name);
            peer._ownsKey = true;
            return peer;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public Task SendJsonAsync(object message) => Link.SendAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message)).WaitAsync(TestNode.Bound);

    /// <summary>The next JSON message other than the node's own upkeep (heartbeats, tickets); binary frames come back as type "binary".</summary>
    public async Task<(string Type, System.Text.Json.JsonElement Body)> NextAsync()
    {
        while (true)
        {
            var message = await Link.ReceiveAsync().WaitAsync(TestNode.Bound) ?? throw new IOException("The node closed the link.");
            if (message.Length > 0 && message[0] != (byte)'{') return ("binary", System.Text.Json.JsonSerializer.SerializeToElement(Convert.ToBase64String(message)));
            var (type, body) = FqtpMessages.Parse(message);
            if (type is not (FqtpMessages.Heartbeat or Dreamwell.Node.Admission.TicketService.Ticket)) return (type, body);
        }
    }

    public byte[] Hello(string name = "rogue") =>
        FqtpMessages.EncodeHello(m => Key.Sign(m), Link.HandshakeHash, name, QuantumId, "Human", 0, new string('0', 64));

    public byte[] Heartbeat(long sequence) =>
        FqtpMessages.EncodeHeartbeat(m => Key.Sign(m), Link.HandshakeHash, sequence, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 0, new string('0', 64));

    /// <summary>Reads until the node closes the link; returns the text of the last message (its error, if it sent one).</summary>
    public async Task<string> ReadUntilClosedAsync()
    {
        var last = "";
        try
        {
            while (await Link.ReceiveAsync().WaitAsync(TestNode.Bound) is { } message) last = Encoding.UTF8.GetString(message);
        }
        catch (DreamException) { }
        catch (IOException) { }
        return last;
    }

    /// <summary>The node answered our hello with something else (an error): it does not link this identity.</summary>
    public sealed class RefusedException(string answer) : Exception($"The node did not answer with a hello: {answer}");

    public void Dispose()
    {
        Link.Dispose();
        Tcp.Dispose();
        if (_ownsKey) Key.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }
}
