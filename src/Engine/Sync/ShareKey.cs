using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Dreamwell.Identity;

namespace Dreamwell.Sync;

/// <summary>What a share key opens: a two-way portal or a one-way signal.</summary>
public enum ShareKind : byte
{
    Portal = 1,
    Signal = 2,
}

/// <summary>
/// The key of a portal or signal is a ticket: which share (a random 128-bit id), whose (the owner's Ed25519 key,
/// hence QuantumId), where to dial (up to 8 host:port addresses) and a 256-bit secret that proves the holder was
/// given the key. Text form: "dwp1." (portal) or "dws1." (signal) + base64url of the binary form, which ends in a
/// 4-byte BLAKE3 checksum that catches typos. The short id (8 hex digits of the share id) is for humans only: it is
/// never a secret (docs/sync.md, "Share keys").
/// </summary>
public sealed record ShareKey(ShareKind Kind, byte[] ShareId, byte[] OwnerPublicKey, byte[] Secret, IReadOnlyList<string> Addresses)
{
    public const int ShareIdBytes = 16;
    public const int SecretBytes = 32;
    public const int MaxAddresses = 8;
    public const int MaxTextLength = 2048;
    private const byte FormatVersion = 1;

    public string ShareIdHex => Convert.ToHexStringLower(ShareId);
    public string ShortId => ShareIdHex[..8];
    public string OwnerQuantumId => DreamIdentity.QuantumIdOf(OwnerPublicKey);

    /// <summary>A fresh key with a random id and secret.</summary>
    public static ShareKey Create(ShareKind kind, byte[] ownerPublicKey, IEnumerable<string> addresses) =>
        new(kind, RandomNumberGenerator.GetBytes(ShareIdBytes), ownerPublicKey, RandomNumberGenerator.GetBytes(SecretBytes), addresses.Take(MaxAddresses).ToList());

    /// <summary>Constant-time check of a presented secret.</summary>
    public bool SecretMatches(ReadOnlySpan<byte> presented) => CryptographicOperations.FixedTimeEquals(Secret, presented);

    public override string ToString()
    {
        using var buffer = new MemoryStream();
        buffer.WriteByte(FormatVersion);
        buffer.WriteByte((byte)Kind);
        buffer.Write(ShareId);
        buffer.Write(OwnerPublicKey);
        buffer.Write(Secret);
        buffer.WriteByte((byte)Addresses.Count);
        foreach (var address in Addresses)
        {
            var bytes = Encoding.UTF8.GetBytes(address);
            buffer.WriteByte((byte)bytes.Length);
            buffer.Write(bytes);
        }
        var body = buffer.ToArray();
        var checksum = Blake3Hash.Compute(body).AsSpan(0, 4);
        return Prefix(Kind) + Base64Url.EncodeToString([.. body, .. checksum]);
    }

    public static ShareKey Parse(string? text)
    {
        text = text?.Trim() ?? "";
        if (text.Length > MaxTextLength) throw Bad($"it is longer than {MaxTextLength} characters");
        var kind = text.StartsWith(Prefix(ShareKind.Portal), StringComparison.Ordinal) ? ShareKind.Portal
            : text.StartsWith(Prefix(ShareKind.Signal), StringComparison.Ordinal) ? ShareKind.Signal
            : throw Bad("it does not start with dwp1. (portal) or dws1. (signal)");
        byte[] bytes;
        try { bytes = Base64Url.DecodeFromChars(text.AsSpan(5)); }
        catch (FormatException) { throw Bad("it is not base64url after the prefix"); }
        const int fixedPart = 2 + ShareIdBytes + 32 + SecretBytes + 1;
        if (bytes.Length < fixedPart + 4) throw Bad("it is truncated");
        var body = bytes.AsSpan(0, bytes.Length - 4);
        if (!Blake3Hash.Compute(body).AsSpan(0, 4).SequenceEqual(bytes.AsSpan(bytes.Length - 4)))
            throw Bad("its checksum does not match (a typo, or it was cut short)");
        if (body[0] != FormatVersion) throw Bad($"it is format {body[0]}; this Dreamwell reads {FormatVersion}");
        if (body[1] != (byte)kind) throw Bad("its prefix and its contents disagree on portal or signal");
        var offset = 2;
        var shareId = body.Slice(offset, ShareIdBytes).ToArray(); offset += ShareIdBytes;
        var owner = body.Slice(offset, 32).ToArray(); offset += 32;
        var secret = body.Slice(offset, SecretBytes).ToArray(); offset += SecretBytes;
        int count = body[offset++];
        if (count > MaxAddresses) throw Bad($"it lists {count} addresses; at most {MaxAddresses}");
        var addresses = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            if (offset >= body.Length) throw Bad("an address is cut short");
            int length = body[offset++];
            if (offset + length > body.Length) throw Bad("an address is cut short");
            addresses.Add(Encoding.UTF8.GetString(body.Slice(offset, length)));
            offset += length;
        }
        if (offset != body.Length) throw Bad("it has trailing bytes");
        return new ShareKey(kind, shareId, owner, secret, addresses);
    }

    private static string Prefix(ShareKind kind) => kind == ShareKind.Portal ? "dwp1." : "dws1.";

    private static DreamException Bad(string why) => new(SyncErrors.BadPortalKey, DreamErrorKind.InvalidArgument, $"Not a Dreamwell share key: {why}.");
}
