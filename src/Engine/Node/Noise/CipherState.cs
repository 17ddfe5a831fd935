using System.Buffers.Binary;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace Dreamwell.Node.Noise;

/// <summary>
/// Noise CipherState (section 5.1) over ChaCha20-Poly1305 (section 12.3): a key k and a 64-bit
/// nonce n, encoded as 32 zero bits followed by n little-endian.
/// </summary>
public sealed class CipherState : IDisposable
{
    private const ulong ReservedNonce = ulong.MaxValue;
    private static readonly AeadAlgorithm Aead = AeadAlgorithm.ChaCha20Poly1305;

    private Key? _key;

    /// <summary>The nonce the next encryption or decryption will use.</summary>
    public ulong Nonce { get; private set; }

    public bool HasKey => _key is not null;

    /// <summary>InitializeKey(key): sets k and resets n to zero. An empty key means "no key".</summary>
    public void InitializeKey(ReadOnlySpan<byte> key)
    {
        _key?.Dispose();
        _key = key.IsEmpty ? null : ImportKey(key);
        Nonce = 0;
    }

    /// <summary>SetNonce(nonce), for out-of-order transports; the libp2p channel never needs it.</summary>
    public void SetNonce(ulong nonce) => Nonce = nonce;

    /// <summary>EncryptWithAd(ad, plaintext): plaintext unchanged when there is no key yet.</summary>
    public byte[] EncryptWithAd(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext)
    {
        if (_key is null) return plaintext.ToArray();
        var ciphertext = new byte[plaintext.Length + NoiseLimits.TagLength];
        EncryptWithAd(associatedData, plaintext, ciphertext);
        return ciphertext;
    }

    /// <summary>EncryptWithAd into <paramref name="ciphertext"/> (plaintext length + 16 bytes), for the transport's hot path.</summary>
    public void EncryptWithAd(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        var key = KeyForNextNonce("Encrypting into a buffer needs a key.");
        Encrypt(key, Nonce, associatedData, plaintext, ciphertext[..(plaintext.Length + NoiseLimits.TagLength)]);
        Nonce++;
    }

    /// <summary>DecryptWithAd(ad, ciphertext): the nonce advances only on success.</summary>
    public byte[] DecryptWithAd(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext)
    {
        if (_key is null) return ciphertext.ToArray();
        if (ciphertext.Length < NoiseLimits.TagLength) throw NoiseErrors.Decrypt();
        var plaintext = GC.AllocateUninitializedArray<byte>(ciphertext.Length - NoiseLimits.TagLength);
        DecryptWithAd(associatedData, ciphertext, plaintext);
        return plaintext;
    }

    /// <summary>DecryptWithAd into <paramref name="plaintext"/> (ciphertext length − 16 bytes); the nonce advances only on success.</summary>
    public void DecryptWithAd(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        var key = KeyForNextNonce("Decrypting into a buffer needs a key.");
        if (ciphertext.Length < NoiseLimits.TagLength) throw NoiseErrors.Decrypt();
        Span<byte> nonce = stackalloc byte[12];
        WriteNonce(nonce, Nonce);
        if (!Aead.Decrypt(key, nonce, associatedData, ciphertext, plaintext[..(ciphertext.Length - NoiseLimits.TagLength)])) throw NoiseErrors.Decrypt();
        Nonce++;
    }

    private Key KeyForNextNonce(string noKey)
    {
        if (_key is null) throw NoiseErrors.State(noKey);
        if (Nonce == ReservedNonce)
            throw new DreamException(NoiseErrors.NonceExhausted, DreamErrorKind.LimitExceeded, "The Noise nonce is exhausted; the session must end.");
        return _key;
    }

    /// <summary>Rekey() (section 4.2): k = the first 32 bytes of ENCRYPT(k, 2^64-1, empty, 32 zero bytes).</summary>
    public void Rekey()
    {
        if (_key is null) throw NoiseErrors.State("Rekey needs a key.");
        var next = new byte[NoiseLimits.KeyLength + NoiseLimits.TagLength];
        Encrypt(_key, ReservedNonce, [], new byte[NoiseLimits.KeyLength], next);
        _key.Dispose();
        _key = ImportKey(next.AsSpan(0, NoiseLimits.KeyLength));
        CryptographicOperations.ZeroMemory(next);
    }

    public void Dispose()
    {
        _key?.Dispose();
        _key = null;
    }

    private static Key ImportKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != NoiseLimits.KeyLength) throw NoiseErrors.State("A ChaChaPoly key is 32 bytes.");
        return Key.Import(Aead, key, KeyBlobFormat.RawSymmetricKey);
    }

    private static void Encrypt(Key key, ulong nonce, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        Span<byte> nonceBytes = stackalloc byte[12];
        WriteNonce(nonceBytes, nonce);
        Aead.Encrypt(key, nonceBytes, associatedData, plaintext, ciphertext);
    }

    private static void WriteNonce(Span<byte> bytes, ulong nonce)
    {
        bytes[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[4..], nonce);
    }
}
