using System.Security.Cryptography;
using NSec.Cryptography;

namespace Dreamwell.Node.Noise;

/// <summary>
/// A Noise hash function (section 4.3): HASH, HMAC-HASH and HKDF built on it.
/// SHA-256 uses the BCL; BLAKE2b comes from NSec and HMAC is composed per RFC 2104 because
/// neither library offers HMAC-BLAKE2b.
/// </summary>
public abstract class NoiseHash
{
    public static NoiseHash Sha256 { get; } = new Sha256Hash();
    public static NoiseHash Blake2b { get; } = new Blake2bHash();

    public abstract string Name { get; }
    public abstract int HashLength { get; }
    public abstract int BlockLength { get; }

    public abstract byte[] Hash(ReadOnlySpan<byte> data);

    public abstract byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data);

    public byte[] Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var joined = new byte[first.Length + second.Length];
        first.CopyTo(joined);
        second.CopyTo(joined.AsSpan(first.Length));
        return Hash(joined);
    }

    /// <summary>HKDF(chaining_key, input_key_material, num_outputs) exactly as section 4.3 defines it.</summary>
    public byte[][] Hkdf(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial, int outputs)
    {
        if (outputs is < 2 or > 3) throw new ArgumentOutOfRangeException(nameof(outputs));
        var tempKey = Hmac(chainingKey, inputKeyMaterial);
        var output1 = Hmac(tempKey, [0x01]);
        var output2 = Hmac(tempKey, [.. output1, 0x02]);
        if (outputs == 2)
        {
            CryptographicOperations.ZeroMemory(tempKey);
            return [output1, output2];
        }
        var output3 = Hmac(tempKey, [.. output2, 0x03]);
        CryptographicOperations.ZeroMemory(tempKey);
        return [output1, output2, output3];
    }

    private sealed class Sha256Hash : NoiseHash
    {
        public override string Name => "SHA256";
        public override int HashLength => 32;
        public override int BlockLength => 64;
        public override byte[] Hash(ReadOnlySpan<byte> data) => SHA256.HashData(data);
        public override byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);
    }

    private sealed class Blake2bHash : NoiseHash
    {
        public override string Name => "BLAKE2b";
        public override int HashLength => 64;
        public override int BlockLength => 128;

        public override byte[] Hash(ReadOnlySpan<byte> data) => NSec.Cryptography.HashAlgorithm.Blake2b_512.Hash(data);

        public override byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
        {
            var block = new byte[BlockLength];
            if (key.Length > BlockLength) Hash(key).CopyTo(block, 0);
            else key.CopyTo(block);
            var inner = new byte[BlockLength + data.Length];
            var outer = new byte[BlockLength + HashLength];
            for (var i = 0; i < BlockLength; i++)
            {
                inner[i] = (byte)(block[i] ^ 0x36);
                outer[i] = (byte)(block[i] ^ 0x5c);
            }
            data.CopyTo(inner.AsSpan(BlockLength));
            Hash(inner).CopyTo(outer, BlockLength);
            var result = Hash(outer);
            CryptographicOperations.ZeroMemory(block);
            CryptographicOperations.ZeroMemory(inner);
            CryptographicOperations.ZeroMemory(outer);
            return result;
        }
    }
}
