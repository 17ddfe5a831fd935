using System.Buffers.Binary;
using Dreamwell.Node.Noise;
using Dreamwell.Node.Secure;
using Xunit.Abstractions;

namespace Dreamwell.Tests.Noise;

/// <summary>
/// Random and mutated bytes from an untrusted peer: the channel may refuse them, but only with
/// DreamException, IOException or OperationCanceledException, and it never hangs.
/// </summary>
public sealed class SecureChannelFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 1000;

    private static bool Allowed(Exception error) => error is DreamException or IOException or OperationCanceledException;

    private static byte[] Frame(ReadOnlySpan<byte> body)
    {
        var frame = new byte[2 + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)body.Length);
        body.CopyTo(frame.AsSpan(2));
        return frame;
    }

    private static byte[] RandomBytes(Random random, int max)
    {
        var bytes = new byte[random.Next(max + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task RandomHandshakeBytesAreRefusedCleanlyInBothRoles()
    {
        var random = new Random(1618);
        using var identity = IdentityKeyPair.Generate();
        var options = new SecureChannelOptions { HandshakeTimeout = TimeSpan.FromSeconds(5) };
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < Iterations; i++)
        {
            // Half raw noise, half well-framed garbage of plausible sizes (so the Noise layer is reached).
            var script = i % 2 == 0
                ? RandomBytes(random, 200)
                : [.. Frame(RandomBytes(random, 160)), .. Frame(RandomBytes(random, 200)), .. RandomBytes(random, 8)];
            var initiator = i % 4 < 2;
            try
            {
                using var stream = new ScriptedStream(script);
                var connection = initiator
                    ? await SecureChannel.ConnectAsync(stream, identity, options).WaitAsync(TimeSpan.FromSeconds(10))
                    : await SecureChannel.AcceptAsync(stream, identity, options).WaitAsync(TimeSpan.FromSeconds(10));
                connection.Dispose();
                Count(outcomes, "accepted");
            }
            catch (Exception error) when (Allowed(error))
            {
                Count(outcomes, error is DreamException dream ? dream.ErrorId : error.GetType().Name);
            }
        }
        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}")));
        Assert.False(outcomes.ContainsKey("accepted"), "random bytes completed a handshake");
    }

    [Fact]
    public async Task MutatedAndRandomTransportFramesAreRefusedAndEarlierFramesSurvive()
    {
        var random = new Random(9617);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < Iterations; i++)
        {
            var (sender, receiver) = Handshake();
            var good = Enumerable.Range(0, random.Next(4)).Select(_ => RandomBytes(random, 64)).ToList();
            var wire = good.Select(message => Frame(sender.Encrypt(message))).ToList();
            var hostile = Mutate(random, sender, wire);
            byte[] script = [.. wire.SelectMany(f => f), .. hostile];

            using var connection = new SecureConnection(new ScriptedStream(script), receiver, new byte[32], new byte[32], new byte[32], isInitiator: false);
            var received = 0;
            try
            {
                while (await connection.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10)) is { } message)
                {
                    if (received < good.Count) Assert.Equal(good[received], message);
                    received++;
                }
                Count(outcomes, "clean end");
            }
            catch (Exception error) when (Allowed(error))
            {
                Count(outcomes, error is DreamException dream ? dream.ErrorId : error.GetType().Name);
            }
            Assert.True(received >= good.Count, "a valid frame before the hostile bytes was lost");
            sender.Dispose();
        }
        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}")));
    }

    private static byte[] Mutate(Random random, NoiseTransport sender, List<byte[]> wire)
    {
        var next = Frame(sender.Encrypt(RandomBytes(random, 64)));
        switch (random.Next(6))
        {
            case 0: // one flipped bit anywhere in the frame, length included
                next[random.Next(next.Length)] ^= (byte)(1 << random.Next(8));
                return next;
            case 1: // truncated
                return next[..random.Next(next.Length)];
            case 2: // replay of an earlier frame (or of the next one twice)
                return wire.Count > 0 ? wire[random.Next(wire.Count)] : [.. next, .. next];
            case 3: // random body under a valid length
                return Frame(RandomBytes(random, 300));
            case 4: // a length that promises more than follows
                return [0xff, 0xff, .. RandomBytes(random, 100)];
            default: // raw noise
                return RandomBytes(random, 300);
        }
    }

    private static (NoiseTransport Sender, NoiseTransport Receiver) Handshake()
    {
        using var initiatorStatic = NoiseKeyPair.Generate();
        using var responderStatic = NoiseKeyPair.Generate();
        using var initiator = new HandshakeState(NoiseProtocol.XX25519ChaChaPolySha256, true, [], initiatorStatic);
        using var responder = new HandshakeState(NoiseProtocol.XX25519ChaChaPolySha256, false, [], responderStatic);
        responder.ReadMessage(initiator.WriteMessage([]));
        initiator.ReadMessage(responder.WriteMessage([]));
        responder.ReadMessage(initiator.WriteMessage([]));
        return (initiator.Result!, responder.Result!);
    }

    private static void Count(Dictionary<string, int> outcomes, string key) =>
        outcomes[key] = outcomes.TryGetValue(key, out var n) ? n + 1 : 1;
}
