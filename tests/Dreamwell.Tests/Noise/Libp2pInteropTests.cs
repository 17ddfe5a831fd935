using System.Net;
using System.Net.Sockets;
using System.Text;
using Dreamwell.Node.Secure;
using Xunit.Abstractions;

namespace Dreamwell.Tests.Noise;

/// <summary>
/// Our channel against js-libp2p-noise, an independent implementation, in both directions:
/// each side reports the other's Ed25519 key and an echoed frame comes back intact.
/// </summary>
public sealed class Libp2pInteropTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Libp2pInteropFact]
    public async Task OurInitiatorCompletesTheHandshakeWithTheJsResponderAndGetsItsEcho()
    {
        var (folder, problem) = await Libp2pNoisePeer.InstallAsync();
        if (folder is null)
        {
            output.WriteLine($"SKIPPED: {problem}");
            return;
        }
        using var identity = IdentityKeyPair.Generate();
        using var peer = Libp2pNoisePeer.Start(folder, "listen", "0");
        var listening = await peer.ValueAsync("listening", Bound);
        var jsKey = await peer.ValueAsync("local_ed25519", Bound);
        var jsPeerId = await peer.ValueAsync("local_peer", Bound);
        var port = int.Parse(listening.Split(':')[1]);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var connection = await SecureChannel.ConnectAsync(client.GetStream(), identity).WaitAsync(Bound);
        using (connection)
        {
            Assert.Equal(jsKey, Convert.ToHexStringLower(connection.RemoteEd25519Key));
            Assert.Equal(jsPeerId, connection.RemotePeerId);
            Assert.Equal(Convert.ToHexStringLower(identity.PublicKey), await peer.ValueAsync("remote_ed25519", Bound));
            Assert.Equal(identity.PeerId, await peer.ValueAsync("remote_peer", Bound));

            var message = Encoding.UTF8.GetBytes("dreamwell→libp2p frame ✓");
            await connection.SendAsync(message);
            Assert.Equal(message, await connection.ReceiveAsync().WaitAsync(Bound));
            var large = new byte[SecureConnection.MaxMessageLength];
            new Random(7).NextBytes(large);
            await connection.SendAsync(large);
            Assert.Equal(large, await connection.ReceiveAsync().WaitAsync(Bound));
        }
        Assert.Equal("2", await peer.ValueAsync("frames", Bound));
        Assert.Equal(0, await peer.ExitCodeAsync(Bound));
        output.WriteLine(peer.Transcript);
    }

    [Libp2pInteropFact]
    public async Task TheJsInitiatorCompletesTheHandshakeWithOurResponderAndGetsOurEcho()
    {
        var (folder, problem) = await Libp2pNoisePeer.InstallAsync();
        if (folder is null)
        {
            output.WriteLine($"SKIPPED: {problem}");
            return;
        }
        using var identity = IdentityKeyPair.Generate();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var peer = Libp2pNoisePeer.Start(folder, "dial", $"127.0.0.1:{port}");
            using var socket = await listener.AcceptTcpClientAsync().WaitAsync(Bound);
            var connection = await SecureChannel.AcceptAsync(socket.GetStream(), identity).WaitAsync(Bound);
            using (connection)
            {
                Assert.Equal(await peer.ValueAsync("local_ed25519", Bound), Convert.ToHexStringLower(connection.RemoteEd25519Key));
                Assert.Equal(await peer.ValueAsync("local_peer", Bound), connection.RemotePeerId);
                Assert.Equal(Convert.ToHexStringLower(identity.PublicKey), await peer.ValueAsync("remote_ed25519", Bound));
                Assert.Equal(identity.PeerId, await peer.ValueAsync("remote_peer", Bound));

                var frame = await connection.ReceiveAsync().WaitAsync(Bound);
                Assert.Equal("dreamwell-interop", Encoding.UTF8.GetString(frame!));
                await connection.SendAsync(frame);
                Assert.Equal("dreamwell-interop", await peer.ValueAsync("echo", Bound));
                Assert.Equal(0, await peer.ExitCodeAsync(Bound));
            }
            output.WriteLine(peer.Transcript);
        }
        finally
        {
            listener.Stop();
        }
    }
}
