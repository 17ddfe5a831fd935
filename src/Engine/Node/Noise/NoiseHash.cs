using System.Security.Cryptography;

namespace Dreamwell.Node.Noise;

/// <summary>
/// A Noise hash function (section 4.3): HASH, HMAC-HASH and HKDF built on it. The product offers only
/// SHA-256, whose HMAC and HKDF come from the BCL (Noise's HKDF is RFC 5869 with an empty info).
/// Other hash functions can be plugged in (the test suite does so to run the BLAKE2b vectors).
/// </summary>
public abstract class NoiseHash
{
    public static NoiseHash Sha256 { get; } = new Sha256Hash();

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
    public virtual byte[][] Hkdf(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial, int outputs)
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

        public override byte[][] Hkdf(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial, int outputs)
        {
            if (outputs is < 2 or > 3) throw new ArgumentOutOfRangeException(nameof(outputs));
            var pseudoRandomKey = HKDF.Extract(HashAlgorithmName.SHA256, inputKeyMaterial.ToArray(), chainingKey.ToArray());
            var material = HKDF.Expand(HashAlgorithmName.SHA256, pseudoRandomKey, outputs * HashLength);
            CryptographicOperations.ZeroMemory(pseudoRandomKey);
            var result = Enumerable.Range(0, outputs).Select(i => material.AsSpan(i * HashLength, HashLength).ToArray()).ToArray();
            CryptographicOperations.ZeroMemory(material);
            return result;
        }
    }
}
