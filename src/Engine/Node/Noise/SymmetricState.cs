using System.Security.Cryptography;
using System.Text;

namespace Dreamwell.Node.Noise;

/// <summary>Noise SymmetricState (section 5.2): chaining key ck, handshake hash h and a CipherState.</summary>
public sealed class SymmetricState : IDisposable
{
    private readonly NoiseHash _hash;
    private byte[] _chainingKey;
    private byte[] _handshakeHash;

    /// <summary>InitializeSymmetric(protocol_name).</summary>
    public SymmetricState(string protocolName, NoiseHash hash)
    {
        _hash = hash;
        var name = Encoding.ASCII.GetBytes(protocolName);
        if (name.Length <= hash.HashLength)
        {
            _handshakeHash = new byte[hash.HashLength];
            name.CopyTo(_handshakeHash, 0);
        }
        else
        {
            _handshakeHash = hash.Hash(name);
        }
        _chainingKey = (byte[])_handshakeHash.Clone();
        Cipher = new CipherState();
    }

    public CipherState Cipher { get; }

    /// <summary>The current h; after the handshake it is the channel-binding value.</summary>
    public byte[] HandshakeHash => (byte[])_handshakeHash.Clone();

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        var outputs = _hash.Hkdf(_chainingKey, inputKeyMaterial, 2);
        ReplaceChainingKey(outputs[0]);
        Cipher.InitializeKey(Truncate(outputs[1]));
        CryptographicOperations.ZeroMemory(outputs[1]);
    }

    public void MixHash(ReadOnlySpan<byte> data) => _handshakeHash = _hash.Hash(_handshakeHash, data);

    /// <summary>MixKeyAndHash, used by PSK modes; kept for completeness of the spec surface.</summary>
    public void MixKeyAndHash(ReadOnlySpan<byte> inputKeyMaterial)
    {
        var outputs = _hash.Hkdf(_chainingKey, inputKeyMaterial, 3);
        ReplaceChainingKey(outputs[0]);
        MixHash(outputs[1]);
        Cipher.InitializeKey(Truncate(outputs[2]));
        CryptographicOperations.ZeroMemory(outputs[2]);
    }

    public byte[] EncryptAndHash(ReadOnlySpan<byte> plaintext)
    {
        var ciphertext = Cipher.EncryptWithAd(_handshakeHash, plaintext);
        MixHash(ciphertext);
        return ciphertext;
    }

    public byte[] DecryptAndHash(ReadOnlySpan<byte> ciphertext)
    {
        var plaintext = Cipher.DecryptWithAd(_handshakeHash, ciphertext);
        MixHash(ciphertext);
        return plaintext;
    }

    /// <summary>Split(): the two transport CipherStates, initiator-to-responder first.</summary>
    public (CipherState First, CipherState Second) Split()
    {
        var outputs = _hash.Hkdf(_chainingKey, [], 2);
        var first = new CipherState();
        first.InitializeKey(Truncate(outputs[0]));
        var second = new CipherState();
        second.InitializeKey(Truncate(outputs[1]));
        CryptographicOperations.ZeroMemory(outputs[0]);
        CryptographicOperations.ZeroMemory(outputs[1]);
        return (first, second);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_chainingKey);
        Cipher.Dispose();
    }

    // HASHLEN 64 (BLAKE2b) keys are truncated to 32 bytes (section 5.2).
    private static ReadOnlySpan<byte> Truncate(byte[] key) => key.AsSpan(0, NoiseLimits.KeyLength);

    private void ReplaceChainingKey(byte[] next)
    {
        CryptographicOperations.ZeroMemory(_chainingKey);
        _chainingKey = next;
    }
}
