using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dreamwell.Node.Noise;
using Dreamwell.Node.Secure;

namespace Dreamwell.Tests.Node;

/// <summary>
/// Throws random and mutated frames at a node's peer port from several workers at once: before the handshake
/// (random bytes, truncated and oversized length prefixes, mutated real Noise messages 1 and 3) and inside real
/// secure sessions after a valid hello (mutated and garbage FQTP JSON, binary frames, raw ciphertext). A frame
/// counts once it was written and the node has then closed the connection, so it was read.
/// </summary>
internal sealed class NodeFuzzer
{
    private const int RogueKeys = 8;
    private readonly int _port;
    private readonly IdentityKeyPair[] _keys = Enumerable.Range(0, RogueKeys).Select(_ => IdentityKeyPair.Generate()).ToArray();
    private readonly ConcurrentDictionary<string, long> _byCategory = new();
    private readonly ConcurrentDictionary<string, long> _endedEarly = new();
    private long _frames;
    private long _connections;

    public NodeFuzzer(int port) => _port = port;

    public long Frames => Interlocked.Read(ref _frames);
    public long Connections => Interlocked.Read(ref _connections);
    public IReadOnlyDictionary<string, long> ByCategory => _byCategory;

    /// <summary>Attempts the node cut short before we knew our frames were read, by what ended them.</summary>
    public IReadOnlyDictionary<string, long> EndedEarly => _endedEarly;

    public async Task RunAsync(long targetFrames, int workers, int seed, CancellationToken cancellationToken)
    {
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed * 1000 + w);
            var key = _keys[w % RogueKeys];
            while (Frames < targetFrames && !cancellationToken.IsCancellationRequested)
            {
                try
                {
                    if (random.Next(10) < 4) await PreHandshakeAsync(random);
                    else await InSessionAsync(random, key);
                }
                catch (RoguePeer.RefusedException)
                {
                    // The node no longer links this identity (quarantine): go on as a fresh rogue.
                    key = IdentityKeyPair.Generate();
                    _endedEarly.AddOrUpdate("rogue identity refused", 1, (_, n) => n + 1);
                }
                catch (Exception e) when (e is IOException or SocketException or DreamException or TimeoutException or ObjectDisposedException)
                {
                    // The node refused us early: exactly what fuzzing expects; not counted as delivered.
                    _endedEarly.AddOrUpdate(e is DreamException d ? d.ErrorId : e.GetType().Name + ": " + e.Message, 1, (_, n) => n + 1);
                }
            }
        }, cancellationToken)));
    }

    private void Count(string category, int frames = 1)
    {
        Interlocked.Add(ref _frames, frames);
        _byCategory.AddOrUpdate(category, frames, (_, n) => n + frames);
    }

    private async Task<TcpClient> DialAsync()
    {
        var tcp = new TcpClient { NoDelay = true, LingerState = new LingerOption(true, 0) };
        await tcp.ConnectAsync(IPAddress.Loopback, _port).WaitAsync(TestNode.Bound);
        Interlocked.Increment(ref _connections);
        return tcp;
    }

    private async Task PreHandshakeAsync(Random random)
    {
        using var tcp = await DialAsync();
        var stream = tcp.GetStream();
        switch (random.Next(6))
        {
            case 0:
                await stream.WriteAsync(Bytes(random, random.Next(1, 512)));
                await EndAsync(tcp, "raw-random-bytes");
                break;
            case 1:
                var declared = random.Next(1, 65536);
                var header = new byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)declared);
                await stream.WriteAsync(header.Concat(Bytes(random, random.Next(0, Math.Min(declared, 4096)))).ToArray());
                await EndAsync(tcp, "raw-truncated-length");
                break;
            case 2:
                // The largest frame the format allows, then garbage where message 3 belongs.
                await WriteFrameAsync(stream, Bytes(random, 65535));
                await ReadFrameOrNullAsync(stream);
                await WriteFrameAsync(stream, Bytes(random, random.Next(0, 300)));
                await EndAsync(tcp, "raw-oversized-frames", 2);
                break;
            case 3:
                await WriteFrameAsync(stream, []);
                await EndAsync(tcp, "raw-empty-frame");
                break;
            case 4:
            {
                using var noiseStatic = NoiseKeyPair.Generate();
                using var handshake = new HandshakeState(NoiseProtocol.XX25519ChaChaPolySha256, true, [], noiseStatic);
                await WriteFrameAsync(stream, Mutate(random, handshake.WriteMessage([])));
                await ReadFrameOrNullAsync(stream);
                await WriteFrameAsync(stream, Bytes(random, random.Next(0, 200)));
                await EndAsync(tcp, "mutated-noise-message-1", 2);
                break;
            }
            default:
            {
                using var noiseStatic = NoiseKeyPair.Generate();
                using var handshake = new HandshakeState(NoiseProtocol.XX25519ChaChaPolySha256, true, [], noiseStatic);
                await WriteFrameAsync(stream, handshake.WriteMessage([]));
                var message2 = await ReadFrameOrNullAsync(stream);
                if (message2 is null) return;
                handshake.ReadMessage(message2);
                var payload = NoiseHandshakePayload.Create(_keys[random.Next(RogueKeys)], noiseStatic.PublicKey).Encode();
                await WriteFrameAsync(stream, Mutate(random, handshake.WriteMessage(payload)));
                await EndAsync(tcp, "mutated-noise-message-3", 2);
                break;
            }
        }
    }

    private async Task InSessionAsync(Random random, IdentityKeyPair key)
    {
        using var rogue = await RoguePeer.LinkAsync(_port, key);
        Interlocked.Increment(ref _connections);
        var frames = 1; // the hello
        long sequence = 0;
        for (var benign = random.Next(4); benign > 0; benign--, frames++)
            await rogue.Link.SendAsync(random.Next(2) == 0 ? WithExtraMember(random, rogue.Heartbeat(sequence++)) : RandomTicket(random));
        string category;
        switch (random.Next(8))
        {
            case 0:
                category = "session-random-binary";
                var binary = Bytes(random, random.Next(1, 2048));
                if (binary[0] == (byte)'{') binary[0] = 0;
                await rogue.Link.SendAsync(binary);
                break;
            case 1:
                category = "session-mutated-hello";
                await rogue.Link.SendAsync(Mutate(random, rogue.Hello()));
                break;
            case 2:
                category = "session-mutated-heartbeat";
                await rogue.Link.SendAsync(Mutate(random, rogue.Heartbeat(sequence)));
                break;
            case 3:
                category = "session-truncated-json";
                var beat = rogue.Heartbeat(sequence);
                await rogue.Link.SendAsync(beat[..random.Next(beat.Length)]);
                break;
            case 4:
                category = "session-hostile-json";
                await rogue.Link.SendAsync(HostileJson(random, rogue, sequence));
                break;
            case 5:
                category = "session-replayed-heartbeat";
                await rogue.Link.SendAsync(rogue.Heartbeat(sequence));
                await rogue.Link.SendAsync(rogue.Heartbeat(sequence));
                frames++;
                break;
            case 6:
                category = "session-garbage-ciphertext";
                // Underneath the channel: a frame no key produced.
                await WriteFrameAsync(rogue.Tcp.GetStream(), Bytes(random, random.Next(0, 1024)));
                break;
            default:
                category = "session-oversized-json";
                await rogue.Link.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"heartbeat\",\"pad\":\"{new string('x', random.Next(16_000, 65_000))}\"}}"));
                break;
        }
        try
        {
            // Ends the link even when a mutant happened to come out valid, so no worker waits on an open link.
            await rogue.Link.SendAsync("{\"type\":\"bye\",\"reason\":\"fuzz\"}"u8.ToArray());
        }
        catch (Exception e) when (e is DreamException or IOException) { }
        await rogue.ReadUntilClosedAsync();
        Count(category, frames + 1);
    }

    private static byte[] HostileJson(Random random, RoguePeer rogue, long sequence) => Encoding.UTF8.GetBytes(random.Next(9) switch
    {
        0 => new string('[', 5000),
        1 => "{\"type\":" + new string('[', 100) + "1" + new string(']', 100) + "}",
        2 => "{\"type\":\"heartbeat\",\"sequence\":1e400,\"time\":-1,\"chainLength\":18446744073709551616,\"headHash\":\"zz\",\"signature\":\"!\"}",
        3 => "{\"type\":\"" + RandomWord(random) + "\"}",
        4 => "{\"type\":\"ticket\",\"id\":\"" + new string('A', 64) + "\",\"secret\":7,\"expires\":-5}",
        5 => "{\"type\":\"rekey\",\"sequence\":" + random.Next(1, 1000) + "}",
        6 => "{\"type\":\"heartbeat\",\"type\":\"hello\"}",
        7 => "\"just a string\"",
        _ => Encoding.UTF8.GetString(rogue.Heartbeat(sequence)).Replace("\"chainLength\":0", "\"chainLength\":-1"),
    });

    private static byte[] WithExtraMember(Random random, byte[] message)
    {
        var json = Encoding.UTF8.GetString(message);
        var value = random.Next(3) switch { 0 => random.Next().ToString(), 1 => "\"" + RandomWord(random) + "\"", _ => "[null,true,{}]" };
        return Encoding.UTF8.GetBytes(json[..^1] + $",\"x{RandomWord(random)}\":{value}}}");
    }

    private static byte[] RandomTicket(Random random) => Encoding.UTF8.GetBytes(
        $"{{\"type\":\"ticket\",\"id\":\"{Convert.ToBase64String(Bytes(random, 24))}\",\"secret\":\"{Convert.ToBase64String(Bytes(random, 32))}\",\"expires\":{random.NextInt64(0, long.MaxValue)}}}");

    private static string RandomWord(Random random) => new(Enumerable.Range(0, random.Next(1, 12)).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] message)
    {
        var mutant = (byte[])message.Clone();
        switch (random.Next(4))
        {
            case 0:
                for (var k = 0; k < 1 + random.Next(4) && mutant.Length > 0; k++) mutant[random.Next(mutant.Length)] ^= (byte)(1 << random.Next(8));
                return mutant;
            case 1:
                return mutant[..random.Next(mutant.Length + 1)];
            case 2:
                return mutant.Concat(Bytes(random, random.Next(1, 64))).ToArray();
            default:
                if (mutant.Length > 0) mutant[random.Next(mutant.Length)] = (byte)random.Next(256);
                return mutant;
        }
    }

    private static Task WriteFrameAsync(NetworkStream stream, byte[] body) => FrameIo.WriteAsync(stream, body, CancellationToken.None);

    private static async Task<byte[]?> ReadFrameOrNullAsync(NetworkStream stream)
    {
        try { return await FrameIo.ReadAsync(stream, CancellationToken.None).WaitAsync(TestNode.Bound); }
        catch (DreamException) { return null; }
    }

    /// <summary>Stops sending and waits for the node to close: then every frame we wrote has been read.</summary>
    private async Task EndAsync(TcpClient tcp, string category, int frames = 1)
    {
        var buffer = new byte[4096];
        var stream = tcp.GetStream();
        try { tcp.Client.Shutdown(SocketShutdown.Send); }
        catch (SocketException) { }
        while (await stream.ReadAsync(buffer).AsTask().WaitAsync(TestNode.Bound) > 0) { }
        Count(category, frames);
    }
}
