using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Dreamwell.Node.Admission;

/// <summary>
/// The BLAKE3 client puzzle: find a nonce such that BLAKE3("dreamwell-admission-puzzle-v1" ‖ challenge ‖ message 1 ‖
/// nonce as 8 bytes big-endian) starts with at least <c>bits</c> zero bits. Binding Noise message 1 (the dialer's
/// ephemeral key) ties the work to this one handshake. Verifying costs one hash; solving about 2^bits.
/// </summary>
public static class ClientPuzzle
{
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("dreamwell-admission-puzzle-v1");

    public static bool Verify(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> message1, ulong nonce, int bits)
    {
        var input = Input(challenge, message1);
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(input.Length - 8), nonce);
        Span<byte> hash = stackalloc byte[32];
        Blake3.Hasher.Hash(input, hash);
        return LeadingZeroBits(hash) >= bits;
    }

    /// <summary>Searches nonces from 0 up; checks for cancellation every 4096 tries.</summary>
    public static ulong Solve(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> message1, int bits, CancellationToken cancellationToken)
    {
        var input = Input(challenge, message1);
        var nonceBytes = input.AsSpan(input.Length - 8);
        Span<byte> hash = stackalloc byte[32];
        for (ulong nonce = 0; ; nonce++)
        {
            if ((nonce & 4095) == 0) cancellationToken.ThrowIfCancellationRequested();
            BinaryPrimitives.WriteUInt64BigEndian(nonceBytes, nonce);
            Blake3.Hasher.Hash(input, hash);
            if (LeadingZeroBits(hash) >= bits) return nonce;
        }
    }

    public static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var bits = 0;
        foreach (var b in hash)
        {
            if (b != 0) return bits + BitOperations.LeadingZeroCount((uint)b) - 24;
            bits += 8;
        }
        return bits;
    }

    private static byte[] Input(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> message1)
    {
        var input = new byte[Domain.Length + challenge.Length + message1.Length + 8];
        Domain.CopyTo(input, 0);
        challenge.CopyTo(input.AsSpan(Domain.Length));
        message1.CopyTo(input.AsSpan(Domain.Length + challenge.Length));
        return input;
    }
}
