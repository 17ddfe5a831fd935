using System.Diagnostics;
using Dreamwell.Node.Noise;

namespace Dreamwell.Bench;

/// <summary>
/// The work no Send-DreamFile can skip, timed alone on this machine for a file's worth of bytes: ChaCha20-Poly1305 over
/// every byte at both ends (the Noise transport, 65,494-byte messages as the transfer sends them) and four BLAKE3 passes
/// (chunk hash and whole-file hash, each at both ends). Its CPU time spread over every core is a floor for the wall time.
/// </summary>
internal static class SendFloor
{
    public static (TimeSpan Aead, TimeSpan Blake3) Measure(string input)
    {
        var size = new FileInfo(input).Length;
        var chunk = new byte[1 << 20];
        var message = new byte[65_494];
        var sealedMessage = new byte[message.Length + 16];
        using var send = new CipherState();
        using var receive = new CipherState();
        var key = new byte[32];
        Random.Shared.NextBytes(key);
        send.InitializeKey(key);
        receive.InitializeKey(key);
        using var stream = File.OpenRead(input);
        var aead = TimeSpan.Zero;
        var blake3 = TimeSpan.Zero;
        using var whole = Blake3.Hasher.New();
        for (long done = 0; done < size;)
        {
            var length = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            if (length == 0) break;
            done += length;
            var bytes = chunk.AsSpan(0, length);
            var clock = Stopwatch.StartNew();
            for (var offset = 0; offset < length; offset += message.Length)
            {
                var piece = bytes.Slice(offset, Math.Min(message.Length, length - offset));
                send.EncryptWithAd([], piece, sealedMessage);
                receive.DecryptWithAd([], sealedMessage.AsSpan(0, piece.Length + 16), message);
            }
            aead += clock.Elapsed;
            clock.Restart();
            Span<byte> hash = stackalloc byte[32];
            for (var pass = 0; pass < 2; pass++)
            {
                Blake3.Hasher.Hash(bytes, hash);
                whole.Update(bytes);
            }
            blake3 += clock.Elapsed;
        }
        return (aead, blake3);
    }
}
