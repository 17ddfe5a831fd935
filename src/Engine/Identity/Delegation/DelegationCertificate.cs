using System.Buffers.Binary;
using System.Text;

namespace Dreamwell.Identity;

/// <summary>
/// A Human's signed statement that an Agent key may act for it, within scopes, for a time. Byte layout in
/// docs/identity.md, "Delegation certificate": little-endian, fixed fields, an ASCII name, then an Ed25519
/// signature by the Human over <see cref="Domain"/> followed by every byte before the signature.
/// </summary>
public sealed class DelegationCertificate
{
    public static ReadOnlySpan<byte> Magic => "DWDG"u8;
    public const ushort Version = 1;
    public const string Domain = "dreamwell-delegation-v1";
    public const int MaxNameLength = 64;
    private const int HeaderBytes = 89;
    private const int SignatureBytes = 64;
    public const int MaxBytes = HeaderBytes + MaxNameLength + SignatureBytes;

    /// <summary>The longest delegation a certificate may carry; short ones are the real defence (revocation reaches only the Human's own nodes).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    /// <summary>How far a peer's clock may run behind the issuer's before "not yet valid" is refused.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private DelegationCertificate(byte[] bytes, string name, DelegationScopes scopes, DateTimeOffset notBefore, DateTimeOffset expires, byte[] agentKey, byte[] humanKey)
    {
        Bytes = bytes;
        Name = name;
        Scopes = scopes;
        NotBefore = notBefore;
        Expires = expires;
        AgentKey = agentKey;
        HumanKey = humanKey;
    }

    /// <summary>The certificate exactly as signed and sent.</summary>
    public byte[] Bytes { get; }
    public string Name { get; }
    public DelegationScopes Scopes { get; }
    public DateTimeOffset NotBefore { get; }
    public DateTimeOffset Expires { get; }
    public byte[] AgentKey { get; }
    public byte[] HumanKey { get; }

    public string AgentQuantumId => DreamIdentity.QuantumIdOf(AgentKey);

    /// <summary>The QuantumId of the Human who signed it.</summary>
    public string DelegatedBy => DreamIdentity.QuantumIdOf(HumanKey);

    public string Hash => Blake3Hash.Hex(Bytes);

    public bool Allows(DelegationScopes scope) => (Scopes & scope) == scope;

    /// <summary>Signs a certificate with the Human's identity.</summary>
    public static DelegationCertificate Issue(IdentitySigner human, ReadOnlySpan<byte> agentKey, string name, DelegationScopes scopes, DateTimeOffset notBefore, DateTimeOffset expires)
    {
        CheckName(name);
        if (agentKey.Length != 32) throw Bad("An agent key is a 32-byte Ed25519 public key.");
        if (agentKey.SequenceEqual(human.Identity.PublicKey)) throw Bad("An identity cannot delegate to itself.");
        if (scopes == DelegationScopes.None || (scopes & ~DelegationScope.All) != 0) throw Bad($"Scopes must be a non-empty set of Observe, Send, Connect (got {(ushort)scopes}).");
        notBefore = TruncateToMilliseconds(notBefore);
        expires = TruncateToMilliseconds(expires);
        if (expires <= notBefore || expires - notBefore > MaxLifetime) throw Bad($"A delegation lasts more than nothing and at most {MaxLifetime.TotalDays:0} days.");

        var body = new byte[HeaderBytes + name.Length];
        Magic.CopyTo(body);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(6), (ushort)scopes);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), notBefore.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(16), expires.ToUnixTimeMilliseconds());
        agentKey.CopyTo(body.AsSpan(24));
        human.Identity.PublicKey.CopyTo(body.AsSpan(56));
        body[88] = (byte)name.Length;
        Encoding.ASCII.GetBytes(name, body.AsSpan(HeaderBytes));
        var signature = human.Sign(SignedBytes(body));
        return Parse([.. body, .. signature]);
    }

    /// <summary>Parses and verifies the Human's signature; throws <see cref="DelegationErrors.Invalid"/> for anything else. Time is not checked here.</summary>
    public static DelegationCertificate Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderBytes + 1 + SignatureBytes || data.Length > MaxBytes) throw Bad($"A delegation certificate is {HeaderBytes + 1 + SignatureBytes}..{MaxBytes} bytes, not {data.Length}.");
        if (!data[..4].SequenceEqual(Magic)) throw Bad("Not a delegation certificate (no DWDG magic).");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        if (version != Version) throw Bad($"Delegation certificate version {version}; this build reads version {Version}.");
        var scopes = (DelegationScopes)BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        if (scopes == DelegationScopes.None || (scopes & ~DelegationScope.All) != 0) throw Bad($"Unknown or empty scope bits 0x{(ushort)scopes:x4}.");
        var notBeforeMs = BinaryPrimitives.ReadInt64LittleEndian(data[8..]);
        var expiresMs = BinaryPrimitives.ReadInt64LittleEndian(data[16..]);
        const long maxMs = 253402300799999;
        if (notBeforeMs < 0 || expiresMs > maxMs || expiresMs <= notBeforeMs || expiresMs - notBeforeMs > (long)MaxLifetime.TotalMilliseconds)
            throw Bad("The validity period is empty, negative or longer than the limit.");
        var agentKey = data.Slice(24, 32).ToArray();
        var humanKey = data.Slice(56, 32).ToArray();
        if (agentKey.AsSpan().SequenceEqual(humanKey)) throw Bad("The agent key equals the human key.");
        int nameLength = data[88];
        if (data.Length != HeaderBytes + nameLength + SignatureBytes) throw Bad($"The name length {nameLength} does not match the certificate's {data.Length} bytes.");
        var name = Encoding.ASCII.GetString(data.Slice(HeaderBytes, nameLength));
        CheckName(name, Bad);
        var body = data[..(HeaderBytes + nameLength)];
        if (!IdentitySigner.Verify(humanKey, SignedBytes(body), data[(HeaderBytes + nameLength)..]))
            throw Bad("The human's signature does not verify: the certificate was altered or not issued by that key.");
        return new DelegationCertificate(data.ToArray(), name, scopes, DateTimeOffset.FromUnixTimeMilliseconds(notBeforeMs),
            DateTimeOffset.FromUnixTimeMilliseconds(expiresMs), agentKey, humanKey);
    }

    /// <summary>Throws <see cref="DelegationErrors.Expired"/> or <see cref="DelegationErrors.NotYetValid"/> unless valid at <paramref name="now"/>.</summary>
    public void CheckTime(DateTimeOffset now)
    {
        if (now >= Expires)
            throw new DreamException(DelegationErrors.Expired, DreamErrorKind.PermissionDenied,
                $"The delegation of agent '{Name}' ({AgentQuantumId}) by {DelegatedBy} expired at {Expires:u}.");
        if (now + ClockSkew < NotBefore)
            throw new DreamException(DelegationErrors.NotYetValid, DreamErrorKind.PermissionDenied,
                $"The delegation of agent '{Name}' ({AgentQuantumId}) is not valid before {NotBefore:u}.");
    }

    /// <summary>Valid, Expired or NotYetValid at <paramref name="now"/> (revocation is the issuer's list, not the certificate's).</summary>
    public string StatusAt(DateTimeOffset now) =>
        now >= Expires ? "Expired" : now + ClockSkew < NotBefore ? "NotYetValid" : "Valid";

    /// <summary>Agent names: 1–64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit (they name folders too).</summary>
    public static void CheckName(string name) => CheckName(name, message => new DreamException(DelegationErrors.BadName, DreamErrorKind.InvalidArgument, message));

    private static void CheckName(string name, Func<string, DreamException> fail)
    {
        if (name.Length is 0 or > MaxNameLength || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw fail($"'{name}' is not an agent name: 1–{MaxNameLength} ASCII letters, digits, '.', '_' or '-', starting with a letter or digit.");
    }

    private static byte[] SignedBytes(ReadOnlySpan<byte> body) => [.. Encoding.ASCII.GetBytes(Domain), .. body];

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    private static DreamException Bad(string message) => new(DelegationErrors.Invalid, DreamErrorKind.InvalidData, message);
}
