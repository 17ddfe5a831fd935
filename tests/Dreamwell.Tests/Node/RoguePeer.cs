using System.Net;
using System.Net.Sockets;
using System.Text;
using Dreamwell.Identity;
using Dreamwell.Node;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Node;

/// <summary>A hand-driven peer: a real secure session and hello, then whatever frames a test wants to send.</summary>
internal sealed class RoguePeer : IDisposable
{
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
    }
}
