using System.Net;
using System.Net.Sockets;
using Dreamwell.Node.Noise;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Noise;

/// <summary>Two ends of a real TCP connection on 127.0.0.1.</summary>
internal sealed class Loopback : IDisposable
{
    private Loopback(TcpClient client, TcpClient server)
    {
        Client = client;
        Server = server;
    }

    public TcpClient Client { get; }
    public TcpClient Server { get; }
    public NetworkStream ClientStream => Client.GetStream();
    public NetworkStream ServerStream => Server.GetStream();

    public static async Task<Loopback> OpenAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var client = new TcpClient();
            var accept = listener.AcceptTcpClientAsync();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            return new Loopback(client, await accept);
        }
        finally
        {
            listener.Stop();
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}

/// <summary>
/// A hostile libp2p Noise peer built from the Noise layer directly, so tests can send what an
/// honest implementation never would.
/// </summary>
internal static class HostilePeer
{
    /// <summary>Runs the responder side with a payload chosen by the test from the Noise static key it uses.</summary>
    public static async Task RespondAsync(Stream stream, Func<byte[], byte[]> payloadFor, CancellationToken cancellationToken)
    {
        using var noiseStatic = NoiseKeyPair.Generate();
        using var handshake = new HandshakeState(NoiseProtocol.XX25519ChaChaPolySha256, false, [], noiseStatic);
        var first = await FrameIo.ReadAsync(stream, cancellationToken) ?? throw new IOException("closed");
        handshake.ReadMessage(first);
        await FrameIo.WriteAsync(stream, handshake.WriteMessage(payloadFor(noiseStatic.PublicKey)), cancellationToken);
        try
        {
            var third = await FrameIo.ReadAsync(stream, cancellationToken);
            if (third is not null) handshake.ReadMessage(third);
        }
        catch (DreamException) { }
        catch (IOException) { }
    }

    public static byte[] Payload(IdentityKeyPair identity, byte[] signedStaticKey) =>
        NoiseHandshakePayload.Create(identity, signedStaticKey).Encode();
}
