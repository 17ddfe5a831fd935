using System.Text;
using Dreamwell.Node.Noise;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Noise;

/// <summary>Our initiator and our responder over real loopback TCP, and the refusals an untrusted peer meets.</summary>
public sealed class SecureChannelTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static async Task<(SecureConnection Client, SecureConnection Server)> ConnectAsync(Loopback link, IdentityKeyPair client, IdentityKeyPair server)
    {
        var accept = SecureChannel.AcceptAsync(link.ServerStream, server);
        var connect = SecureChannel.ConnectAsync(link.ClientStream, client);
        return (await connect.WaitAsync(Bound), await accept.WaitAsync(Bound));
    }

    [Fact]
    public async Task BothSidesLearnEachOthersIdentityAndExchangeMessages()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        using var link = await Loopback.OpenAsync();
        var (client, server) = await ConnectAsync(link, alice, bob);
        using (client)
        using (server)
        {
            Assert.Equal(bob.PublicKey, client.RemoteEd25519Key);
            Assert.Equal(alice.PublicKey, server.RemoteEd25519Key);
            Assert.Equal(bob.PeerId, client.RemotePeerId);
            Assert.Equal(alice.PeerId, server.RemotePeerId);
            Assert.StartsWith("12D3KooW", client.RemotePeerId);
            Assert.Equal(client.HandshakeHash, server.HandshakeHash);

            await client.SendAsync(Encoding.UTF8.GetBytes("hello bob"));
            Assert.Equal("hello bob", Encoding.UTF8.GetString((await server.ReceiveAsync().WaitAsync(Bound))!));
            await server.SendAsync(Encoding.UTF8.GetBytes("hello alice"));
            Assert.Equal("hello alice", Encoding.UTF8.GetString((await client.ReceiveAsync().WaitAsync(Bound))!));

            var largest = new byte[SecureConnection.MaxMessageLength];
            new Random(5).NextBytes(largest);
            await client.SendAsync(largest);
            Assert.Equal(largest, await server.ReceiveAsync().WaitAsync(Bound));
            await client.SendAsync(ReadOnlyMemory<byte>.Empty);
            Assert.Empty((await server.ReceiveAsync().WaitAsync(Bound))!);
        }
    }

    [Fact]
    public async Task ManyConcurrentMessagesArriveInOrderBothWays()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        using var link = await Loopback.OpenAsync();
        var (client, server) = await ConnectAsync(link, alice, bob);
        using (client)
        using (server)
        {
            async Task Pump(SecureConnection from, SecureConnection to, string tag)
            {
                var receive = Task.Run(async () =>
                {
                    for (var i = 0; i < 200; i++)
                        Assert.Equal($"{tag}{i}", Encoding.UTF8.GetString((await to.ReceiveAsync())!));
                });
                for (var i = 0; i < 200; i++) await from.SendAsync(Encoding.UTF8.GetBytes($"{tag}{i}"));
                await receive;
            }
            await Task.WhenAll(Pump(client, server, "a"), Pump(server, client, "b")).WaitAsync(Bound);
        }
    }

    [Fact]
    public async Task AMessageLargerThanOneFrameIsRefusedBeforeAnythingIsSent()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        using var link = await Loopback.OpenAsync();
        var (client, server) = await ConnectAsync(link, alice, bob);
        using (client)
        using (server)
        {
            var error = await Assert.ThrowsAsync<DreamException>(() => client.SendAsync(new byte[SecureConnection.MaxMessageLength + 1]));
            Assert.Equal("FrameTooLarge", error.ErrorId);
            await client.SendAsync(new byte[] { 1 });
            Assert.Equal([1], await server.ReceiveAsync().WaitAsync(Bound));
        }
    }

    [Fact]
    public async Task RekeyedAtTheSamePointTheChannelGoesOnAndAnOldKeyNoLongerFits()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        using var link = await Loopback.OpenAsync();
        var (client, server) = await ConnectAsync(link, alice, bob);
        using (client)
        using (server)
        {
            await client.SendAsync(new byte[] { 1 });
            Assert.Equal([1], await server.ReceiveAsync().WaitAsync(Bound));
            client.RekeyOutbound();
            server.RekeyInbound();
            await client.SendAsync(new byte[] { 2 });
            Assert.Equal([2], await server.ReceiveAsync().WaitAsync(Bound));
            client.RekeyOutbound();
            await client.SendAsync(new byte[] { 3 });
            Assert.Equal("DecryptFailed", (await Assert.ThrowsAsync<DreamException>(() => server.ReceiveAsync().WaitAsync(Bound))).ErrorId);
        }
    }

    [Fact]
    public async Task ACleanCloseEndsReceiveWithNull()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        using var link = await Loopback.OpenAsync();
        var (client, server) = await ConnectAsync(link, alice, bob);
        using (server)
        {
            client.Dispose();
            Assert.Null(await server.ReceiveAsync().WaitAsync(Bound));
            Assert.Equal("ChannelClosed", (await Assert.ThrowsAsync<DreamException>(() => server.ReceiveAsync())).ErrorId);
        }
    }

    [Fact]
    public async Task AnExpectedPeerThatTurnsOutToBeSomeoneElseIsRefused()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        using var mallory = IdentityKeyPair.Generate();
        using var link = await Loopback.OpenAsync();
        var accept = SecureChannel.AcceptAsync(link.ServerStream, mallory, new SecureChannelOptions { HandshakeTimeout = TimeSpan.FromSeconds(3) });
        var error = await Assert.ThrowsAsync<DreamException>(() =>
            SecureChannel.ConnectAsync(link.ClientStream, alice, new SecureChannelOptions { ExpectedRemoteKey = bob.PublicKey }).WaitAsync(Bound));
        Assert.Equal("PeerKeyMismatch", error.ErrorId);
        link.Client.Dispose();
        await Assert.ThrowsAsync<DreamException>(() => accept.WaitAsync(Bound));
    }

    [Fact]
    public async Task AManInTheMiddleReplayingAnotherNodesSignedPayloadIsRefused()
    {
        // Mallory relays Bob's identity and signature, but they vouch for Bob's Noise key, not hers.
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        using var bobsNoiseKey = NoiseKeyPair.Generate();
        var bobsPayload = HostilePeer.Payload(bob, bobsNoiseKey.PublicKey);
        using var link = await Loopback.OpenAsync();
        var mallory = HostilePeer.RespondAsync(link.ServerStream, _ => bobsPayload, CancellationToken.None);
        var error = await Assert.ThrowsAsync<DreamException>(() => SecureChannel.ConnectAsync(link.ClientStream, alice).WaitAsync(Bound));
        Assert.Equal("BadIdentitySignature", error.ErrorId);
        link.Client.Dispose();
        await mallory.WaitAsync(Bound);
    }

    [Fact]
    public async Task ASignatureFromADifferentKeyThanTheClaimedIdentityIsRefused()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        using var mallory = IdentityKeyPair.Generate();
        using var link = await Loopback.OpenAsync();
        var hostile = HostilePeer.RespondAsync(link.ServerStream, staticKey =>
        {
            var claimsBob = NoiseHandshakePayloadOf(bob.PublicKey, mallory.Sign(Concat("noise-libp2p-static-key:"u8.ToArray(), staticKey)));
            return claimsBob;
        }, CancellationToken.None);
        var error = await Assert.ThrowsAsync<DreamException>(() => SecureChannel.ConnectAsync(link.ClientStream, alice).WaitAsync(Bound));
        Assert.Equal("BadIdentitySignature", error.ErrorId);
        link.Client.Dispose();
        await hostile.WaitAsync(Bound);
    }

    [Theory]
    [InlineData("empty payload", "", "BadHandshakePayload")]
    [InlineData("signature missing", "0a24080112200000000000000000000000000000000000000000000000000000000000000000", "BadHandshakePayload")]
    [InlineData("length past the end", "0a7f0801", "BadHandshakePayload")]
    [InlineData("endless varint", "08ffffffffffffffffffff01", "BadHandshakePayload")]
    [InlineData("group wire type", "0b", "BadHandshakePayload")]
    [InlineData("RSA identity", "0a0408001200120100", "UnsupportedIdentityKey")]
    [InlineData("short Ed25519 key", "0a0608011202aabb120100", "BadHandshakePayload")]
    public async Task MalformedResponderPayloadsAreRefusedWithAClearError(string _, string payloadHex, string expectedId)
    {
        using var alice = IdentityKeyPair.Generate();
        using var link = await Loopback.OpenAsync();
        var hostile = HostilePeer.RespondAsync(link.ServerStream, _ => Convert.FromHexString(payloadHex), CancellationToken.None);
        var error = await Assert.ThrowsAsync<DreamException>(() => SecureChannel.ConnectAsync(link.ClientStream, alice).WaitAsync(Bound));
        Assert.Equal(expectedId, error.ErrorId);
        link.Client.Dispose();
        await hostile.WaitAsync(Bound);
    }

    [Fact]
    public async Task AReplayedHandshakeIsRefusedBecauseTheResponderEphemeralIsFresh()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        byte[] recorded;
        using (var original = await Loopback.OpenAsync())
        {
            var recorder = new RecordingStream(original.ClientStream);
            var accept = SecureChannel.AcceptAsync(original.ServerStream, bob);
            using var client = await SecureChannel.ConnectAsync(recorder, alice).WaitAsync(Bound);
            using var server = await accept.WaitAsync(Bound);
            recorded = recorder.Written; // Alice's message 1 and message 3, as an eavesdropper saw them
        }
        using var replay = await Loopback.OpenAsync();
        var replayedAccept = SecureChannel.AcceptAsync(replay.ServerStream, bob);
        await replay.ClientStream.WriteAsync(recorded);
        var error = await Assert.ThrowsAsync<DreamException>(() => replayedAccept.WaitAsync(Bound));
        Assert.Equal("DecryptFailed", error.ErrorId);
    }

    [Fact]
    public async Task APeerThatClosesMidHandshakeGivesHandshakeFailed()
    {
        using var bob = IdentityKeyPair.Generate();
        using var link = await Loopback.OpenAsync();
        var accept = SecureChannel.AcceptAsync(link.ServerStream, bob);
        await link.ClientStream.WriteAsync(new byte[] { 0x00, 0x20, 1, 2, 3 });
        link.Client.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var error = await Assert.ThrowsAsync<DreamException>(() => accept.WaitAsync(Bound));
        Assert.Equal("HandshakeFailed", error.ErrorId);
    }

    [Fact]
    public async Task ASilentPeerRunsIntoTheHandshakeTimeout()
    {
        using var bob = IdentityKeyPair.Generate();
        using var link = await Loopback.OpenAsync();
        var error = await Assert.ThrowsAsync<DreamException>(() =>
            SecureChannel.AcceptAsync(link.ServerStream, bob, new SecureChannelOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) }).WaitAsync(Bound));
        Assert.Equal("HandshakeTimeout", error.ErrorId);
    }

    [Fact]
    public async Task AFrameTamperedInFlightIsRefusedAndClosesTheChannel()
    {
        using var alice = IdentityKeyPair.Generate();
        using var bob = IdentityKeyPair.Generate();
        using var link = await Loopback.OpenAsync();
        var (client, server) = await ConnectAsync(link, alice, bob);
        using (client)
        using (server)
        {
            // Write a forged frame under the channel, as an attacker on the wire would.
            byte[] forged = [0x00, 0x14, .. new byte[20]];
            await link.ClientStream.WriteAsync(forged);
            Assert.Equal("DecryptFailed", (await Assert.ThrowsAsync<DreamException>(() => server.ReceiveAsync().WaitAsync(Bound))).ErrorId);
            Assert.Equal("ChannelClosed", (await Assert.ThrowsAsync<DreamException>(() => server.ReceiveAsync())).ErrorId);
        }
    }

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];

    private static byte[] NoiseHandshakePayloadOf(byte[] ed25519PublicKey, byte[] signature) =>
        new NoiseHandshakePayload(Libp2pPeerId.EncodePublicKey(ed25519PublicKey), signature).Encode();
}
