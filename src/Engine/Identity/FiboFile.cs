using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Dreamwell.Identity;

/// <summary>
/// Reads and writes identity.fibo (layout in docs/identity.md). The private key is either stored
/// plain (file mode 0600) or sealed: Argon2id(passphrase) → ChaCha20-Poly1305 over the 32-byte seed,
/// with every byte before the ciphertext as associated data, so no header field can be swapped.
/// </summary>
internal static class FiboFile
{
    public static ReadOnlySpan<byte> Magic => "FIBO"u8;
    public const ushort Version = 1;
    public const int MaxFileBytes = 4096;
    public const int MaxNameBytes = 128;
    private const byte SealedFlag = 1;
    private const int SeedBytes = 32;
    private const int SaltBytes = 16;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    // Argon2id defaults (libsodium's INTERACTIVE memory with one more pass) and the bounds a file may ask for.
    public const uint DefaultMemoryKiB = 64 * 1024;
    public const uint DefaultPasses = 3;
    private const uint MaxMemoryKiB = 1024 * 1024;
    private const uint MaxPasses = 16;

    public sealed record Parsed(DreamIdentity Identity, byte[] Body, int SecretOffset);

    public static byte[] Write(string name, IdentityKind kind, DateTimeOffset created, Key key, byte[] fingerprint, ReadOnlySpan<char> passphrase, bool seal)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var seed = key.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            using var body = new MemoryStream();
            body.Write(Magic);
            WriteUInt16(body, Version);
            body.WriteByte((byte)kind);
            body.WriteByte(seal ? SealedFlag : (byte)0);
            WriteInt64(body, created.ToUnixTimeMilliseconds());
            body.Write(publicKey);
            body.Write(fingerprint);
            WriteUInt16(body, (ushort)nameBytes.Length);
            body.Write(nameBytes);
            if (!seal)
            {
                body.Write(seed);
            }
            else
            {
                var salt = RandomNumberGenerator.GetBytes(SaltBytes);
                var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
                body.Write(salt);
                WriteUInt32(body, DefaultMemoryKiB);
                WriteUInt32(body, DefaultPasses);
                WriteUInt32(body, 1);
                body.Write(nonce);
                using var wrapKey = DeriveWrapKey(passphrase, salt, DefaultMemoryKiB, DefaultPasses);
                var associated = body.ToArray();
                body.Write(AeadAlgorithm.ChaCha20Poly1305.Encrypt(wrapKey, nonce, associated, seed));
            }
            body.Write(Blake3Hash.Compute(body.GetBuffer().AsSpan(0, (int)body.Length)));
            return body.ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public static Parsed Parse(byte[] data, string path)
    {
        if (data.Length > MaxFileBytes) throw Bad("FiboTooLarge", $"'{path}' is {data.Length} bytes; an identity file is at most {MaxFileBytes}.");
        if (data.Length < 4 || !data.AsSpan(0, 4).SequenceEqual(Magic)) throw Bad("BadMagic", $"'{path}' is not an identity file (no FIBO magic).");
        if (data.Length < 82 + 32) throw Bad("Truncated", $"'{path}' is truncated.");
        var body = data.AsSpan(0, data.Length - 32);
        if (!Blake3Hash.Compute(body).AsSpan().SequenceEqual(data.AsSpan(data.Length - 32)))
            throw Bad("FiboHashMismatch", $"'{path}' fails its BLAKE3 check: the identity file is damaged or was edited.");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(4));
        if (version != Version) throw Bad("UnsupportedVersion", $"'{path}' is FIBO version {version}; this build reads version {Version}.");
        var kind = (IdentityKind)data[6];
        if (!Enum.IsDefined(kind)) throw Bad("BadKind", $"'{path}' names an unknown identity kind {data[6]}.");
        var flags = data[7];
        if ((flags & ~SealedFlag) != 0) throw Bad("BadFlags", $"'{path}' has unknown flags 0x{flags:x2}.");
        var created = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8)));
        var publicKey = data.AsSpan(16, 32).ToArray();
        var fingerprint = data.AsSpan(48, 32).ToArray();
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(80));
        if (nameLength > MaxNameBytes) throw Bad("LimitExceeded", $"'{path}' has a {nameLength}-byte name; the limit is {MaxNameBytes}.");
        var secretOffset = 82 + nameLength;
        var sealedIdentity = (flags & SealedFlag) != 0;
        var expected = secretOffset + (sealedIdentity ? SaltBytes + 12 + NonceBytes + SeedBytes + TagBytes : SeedBytes);
        if (body.Length != expected) throw Bad("Truncated", $"'{path}' has {body.Length} body bytes where {expected} are expected.");
        string name;
        try { name = new UTF8Encoding(false, true).GetString(data, 82, nameLength); }
        catch (DecoderFallbackException) { throw Bad("BadName", $"'{path}' has a name that is not UTF-8."); }
        var identity = new DreamIdentity(name, kind, created, publicKey, fingerprint, sealedIdentity, path);
        return new Parsed(identity, body.ToArray(), secretOffset);
    }

    public static Key OpenKey(Parsed parsed, ReadOnlySpan<char> passphrase)
    {
        var body = parsed.Body;
        var at = parsed.SecretOffset;
        byte[]? seed = null;
        try
        {
            if (!parsed.Identity.IsSealed)
            {
                seed = body.AsSpan(at, SeedBytes).ToArray();
            }
            else
            {
                if (passphrase.IsEmpty)
                    throw new DreamException("IdentityLocked", DreamErrorKind.SecurityError,
                        $"The identity in '{parsed.Identity.Path}' is sealed with a passphrase; unlock it with Unlock-DreamIdentity first.");
                var salt = body.AsSpan(at, SaltBytes);
                var memory = BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(at + 16));
                var passes = BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(at + 20));
                var lanes = BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(at + 24));
                if (memory < 8 || memory > MaxMemoryKiB || passes < 1 || passes > MaxPasses || lanes != 1)
                    throw Bad("BadKdfParameters", $"'{parsed.Identity.Path}' asks for Argon2id parameters outside the allowed bounds.");
                var nonce = body.AsSpan(at + 28, NonceBytes);
                var cipherOffset = at + 28 + NonceBytes;
                using var wrapKey = DeriveWrapKey(passphrase, salt, memory, passes);
                seed = new byte[SeedBytes];
                if (!AeadAlgorithm.ChaCha20Poly1305.Decrypt(wrapKey, nonce, body.AsSpan(0, cipherOffset), body.AsSpan(cipherOffset), seed))
                    throw new DreamException("WrongPassphrase", DreamErrorKind.SecurityError, $"Wrong passphrase for the identity in '{parsed.Identity.Path}'.");
            }
            var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey);
            if (!key.PublicKey.Export(KeyBlobFormat.RawPublicKey).AsSpan().SequenceEqual(parsed.Identity.PublicKey))
            {
                key.Dispose();
                throw Bad("KeyMismatch", $"'{parsed.Identity.Path}': the private key does not match the stored public key.");
            }
            return key;
        }
        finally
        {
            if (seed is not null) CryptographicOperations.ZeroMemory(seed);
        }
    }

    private static Key DeriveWrapKey(ReadOnlySpan<char> passphrase, ReadOnlySpan<byte> salt, uint memoryKiB, uint passes)
    {
        var kdf = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = 1,
            MemorySize = memoryKiB,
            NumberOfPasses = passes,
        });
        var password = new byte[Encoding.UTF8.GetMaxByteCount(passphrase.Length)];
        try
        {
            var length = Encoding.UTF8.GetBytes(passphrase, password);
            return kdf.DeriveKey(password.AsSpan(0, length), salt, AeadAlgorithm.ChaCha20Poly1305);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    private static DreamFormatException Bad(string id, string message) => new(id, message);
    private static void WriteUInt16(Stream s, ushort v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); s.Write(b); }
    private static void WriteUInt32(Stream s, uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); s.Write(b); }
    private static void WriteInt64(Stream s, long v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteInt64LittleEndian(b, v); s.Write(b); }
}
