using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dreamwell.Identity;

namespace Dreamwell.Node;

/// <summary>
/// The FQTP hello: who the peer is and where its seal chain stands, signed and bound to this session. <see cref="Version"/>
/// is the version both sides agreed on; <see cref="Delegation"/> is an Agent's verified certificate.
/// </summary>
public sealed record FqtpHello(int Version, string Name, string QuantumId, string Kind, long ChainLength, string HeadHash, byte[] Signature,
    IReadOnlyList<int>? Versions = null, DelegationCertificate? Delegation = null);

/// <summary>An FQTP heartbeat: a signed, numbered report of the sender's seal-chain head.</summary>
public sealed record FqtpHeartbeat(long Sequence, long TimeUnixMs, long ChainLength, string HeadHash, byte[] Signature);

/// <summary>
/// FQTP messages: one UTF-8 JSON object per secure-channel message, at most <see cref="MaxMessageBytes"/>,
/// with a "type" member. Signatures cover a domain, the Noise handshake hash of this session (so a message
/// cannot be replayed into another session) and the fields, each as a 4-byte big-endian length and UTF-8
/// bytes. See docs/protocol.md, "FQTP messages".
/// </summary>
public static class FqtpMessages
{
    /// <summary>The lowest of <see cref="FqtpVersions.Supported"/>: what the "version" member of a hello says.</summary>
    public const int Version = 1;
    public const int MaxMessageBytes = 16 * 1024;
    public const int MaxNameBytes = 128;
    public const string HelloDomain = "dreamwell-fqtp-hello-v1";
    public const string HeartbeatDomain = "dreamwell-fqtp-heartbeat-v1";
    public const string HelloExtensionDomain = "dreamwell-fqtp-hello-ext-v1";

    public const string Hello = "hello";
    public const string Heartbeat = "heartbeat";
    public const string Bye = "bye";
    public const string Error = "error";

    public static byte[] SignedBytes(string domain, ReadOnlySpan<byte> handshakeHash, params string[] fields)
    {
        using var buffer = new MemoryStream();
        buffer.Write(Encoding.UTF8.GetBytes(domain));
        buffer.WriteByte(0);
        buffer.Write(handshakeHash);
        Span<byte> length = stackalloc byte[4];
        foreach (var field in fields)
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
            buffer.Write(length);
            buffer.Write(bytes);
        }
        return buffer.ToArray();
    }

    private static string[] HelloFields(int version, string name, string quantumId, string kind, long chainLength, string headHash) =>
        [version.ToString(CultureInfo.InvariantCulture), name, quantumId, kind, chainLength.ToString(CultureInfo.InvariantCulture), headHash];

    private static string[] HeartbeatFields(long sequence, long time, long chainLength, string headHash) =>
        [sequence.ToString(CultureInfo.InvariantCulture), time.ToString(CultureInfo.InvariantCulture), chainLength.ToString(CultureInfo.InvariantCulture), headHash];

    /// <summary>A hello listing <paramref name="versions"/> (default: all this build speaks) and, for an Agent, its delegation certificate.</summary>
    public static byte[] EncodeHello(Func<byte[], byte[]> sign, ReadOnlySpan<byte> handshakeHash, string name, string quantumId, string kind, long chainLength, string headHash,
        byte[]? delegation = null, IReadOnlyList<int>? versions = null)
    {
        versions ??= FqtpVersions.Supported;
        // The lowest listed: a node from before negotiation reads only "version" and refuses anything but its own.
        var version = versions.Min();
        var delegationText = delegation is null ? "" : Convert.ToBase64String(delegation);
        // Two signatures so that a node from before negotiation, which ignores unknown members, still verifies the first.
        var signature = Convert.ToBase64String(sign(SignedBytes(HelloDomain, handshakeHash, HelloFields(version, name, quantumId, kind, chainLength, headHash))));
        var extensionSignature = Convert.ToBase64String(sign(SignedBytes(HelloExtensionDomain, handshakeHash, FqtpVersions.Describe(versions), delegationText)));
        return delegation is null
            ? JsonSerializer.SerializeToUtf8Bytes(new { type = Hello, version, versions, name, quantumId, kind, chainLength, headHash, signature, extensionSignature })
            : JsonSerializer.SerializeToUtf8Bytes(new { type = Hello, version, versions, name, quantumId, kind, chainLength, headHash, delegation = delegationText, signature, extensionSignature });
    }

    public static byte[] EncodeHeartbeat(Func<byte[], byte[]> sign, ReadOnlySpan<byte> handshakeHash, long sequence, long time, long chainLength, string headHash)
    {
        var signature = sign(SignedBytes(HeartbeatDomain, handshakeHash, HeartbeatFields(sequence, time, chainLength, headHash)));
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = Heartbeat, sequence, time, chainLength, headHash, signature = Convert.ToBase64String(signature),
        });
    }

    public static byte[] EncodeBye(string reason) => JsonSerializer.SerializeToUtf8Bytes(new { type = Bye, reason });

    public static byte[] EncodeError(string code, string message) => JsonSerializer.SerializeToUtf8Bytes(new { type = Error, code, message });

    /// <summary>Parses one message; throws FqtpProtocolViolation for anything that is not a well-formed FQTP object.</summary>
    public static (string Type, JsonElement Body) Parse(byte[] message)
    {
        if (message.Length > MaxMessageBytes) throw Violation($"A message of {message.Length} bytes exceeds the {MaxMessageBytes}-byte limit.");
        // System.Text.Json checks UTF-8 inside strings only when one is read, and then throws InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(message)) throw Violation("A message is not valid UTF-8.");
        try
        {
            using var document = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = 4 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Violation("A message must be a JSON object.");
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : throw Violation("A message needs a string 'type'.");
            return (type, root.Clone());
        }
        catch (JsonException e)
        {
            throw Violation($"A message is not valid JSON: {e.Message}");
        }
    }

    /// <summary>
    /// Reads and verifies a hello against the key the peer proved in the Noise handshake, negotiates the version and, for
    /// an Agent, verifies its delegation (for this key, signed by its Human, valid at <paramref name="now"/>, default the system clock).
    /// </summary>
    public static FqtpHello ReadHello(JsonElement body, byte[] peerKey, ReadOnlySpan<byte> handshakeHash, DateTimeOffset? now = null)
    {
        var versionMember = Number(body, "version");
        if (versionMember is < 1 or > FqtpVersions.MaxVersion) throw Violation($"'version' must be an integer from 1 to {FqtpVersions.MaxVersion}.");
        var version = (int)versionMember;
        // A hello without "versions" comes from a node that predates negotiation: it speaks its one version and signs six fields.
        var negotiating = body.TryGetProperty("versions", out var versionsMember);
        var versions = negotiating ? FqtpVersions.Read(versionsMember) : [version];
        if (!versions.Contains(version)) throw Violation($"'version' {version} is not among the 'versions' the hello lists.");
        var agreed = FqtpVersions.Negotiate(FqtpVersions.Supported, versions);
        var delegationText = body.TryGetProperty("delegation", out _) ? Text(body, "delegation", 4 * (DelegationCertificate.MaxBytes / 3 + 1)) : "";
        if (!negotiating && delegationText.Length > 0) throw Violation("A hello with a 'delegation' must also list 'versions'.");
        var name = Text(body, "name", MaxNameBytes);
        var quantumId = Text(body, "quantumId", 16);
        var kind = Text(body, "kind", 16);
        var chainLength = Number(body, "chainLength");
        var headHash = Hash(body, "headHash");
        var signature = Signature(body);
        if (quantumId != DreamIdentity.QuantumIdOf(peerKey))
            throw new DreamException(TesseractErrors.PeerKeyMismatch, DreamErrorKind.SecurityError,
                $"The hello claims QuantumId {quantumId}, but the handshake proved the key of {DreamIdentity.QuantumIdOf(peerKey)}.");
        if (!IdentitySigner.Verify(peerKey, SignedBytes(HelloDomain, handshakeHash, HelloFields(version, name, quantumId, kind, chainLength, headHash)), signature))
            throw new DreamException(TesseractErrors.BadSignature, DreamErrorKind.SecurityError, "The hello signature does not verify.");
        if (negotiating && !IdentitySigner.Verify(peerKey, SignedBytes(HelloExtensionDomain, handshakeHash, FqtpVersions.Describe(versions), delegationText), Signature(body, "extensionSignature")))
            throw new DreamException(TesseractErrors.BadSignature, DreamErrorKind.SecurityError, "The hello's extension signature (versions, delegation) does not verify.");
        var delegation = delegationText.Length == 0 ? null : HelloDelegation.Verify(delegationText, kind, peerKey, now ?? DateTimeOffset.UtcNow);
        return new FqtpHello(agreed, name, quantumId, kind, chainLength, headHash, signature, versions, delegation);
    }

    public static FqtpHeartbeat ReadHeartbeat(JsonElement body, byte[] peerKey, ReadOnlySpan<byte> handshakeHash)
    {
        var sequence = Number(body, "sequence");
        var time = Number(body, "time");
        var chainLength = Number(body, "chainLength");
        var headHash = Hash(body, "headHash");
        var signature = Signature(body);
        if (!IdentitySigner.Verify(peerKey, SignedBytes(HeartbeatDomain, handshakeHash, HeartbeatFields(sequence, time, chainLength, headHash)), signature))
            throw new DreamException(TesseractErrors.BadSignature, DreamErrorKind.SecurityError, "A heartbeat signature does not verify.");
        return new FqtpHeartbeat(sequence, time, chainLength, headHash, signature);
    }

    internal static string Text(JsonElement body, string name, int maxBytes)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String) throw Violation($"'{name}' must be a string.");
        var text = value.GetString()!;
        if (Encoding.UTF8.GetByteCount(text) > maxBytes) throw Violation($"'{name}' is longer than {maxBytes} bytes.");
        return text;
    }

    /// <summary>A non-negative integer field of a peer's message; anything else is a violation.</summary>
    public static long Number(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < 0)
            throw Violation($"'{name}' must be a non-negative integer.");
        return number;
    }

    private static string Hash(JsonElement body, string name)
    {
        var text = Text(body, name, 64);
        if (text.Length != 64 || !text.All(Uri.IsHexDigit)) throw Violation($"'{name}' must be 64 hex digits.");
        return text.ToLowerInvariant();
    }

    private static byte[] Signature(JsonElement body, string member = "signature")
    {
        var text = Text(body, member, 128);
        try
        {
            var bytes = Convert.FromBase64String(text);
            return bytes.Length == 64 ? bytes : throw Violation($"'{member}' must be 64 bytes.");
        }
        catch (FormatException)
        {
            throw Violation($"'{member}' is not base64.");
        }
    }

    internal static DreamException Violation(string message) =>
        new(TesseractErrors.ProtocolViolation, DreamErrorKind.InvalidData, message);
}
