using System.Security.Cryptography;
using Dreamwell.Node.Noise;

namespace Dreamwell.Tests.Noise;

/// <summary>
/// BLAKE2b for the Noise framework, used only by the test suite to run the cacophony BLAKE2b vectors
/// against the generic handshake code. The product offers SHA-256 only: no library provides
/// HMAC-BLAKE2b, so this RFC 2104 composition over NSec's BLAKE2b stays out of shipped code.
/// </summary>
internal sealed class Blake2bNoiseHash : NoiseHash
{
    public static readonly IReadOnlyDictionary<string, NoiseHash> Registry = new Dictionary<string, NoiseHash> { ["BLAKE2b"] = new Blake2bNoiseHash() };

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
