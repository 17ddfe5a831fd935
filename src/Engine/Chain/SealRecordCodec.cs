using System.Buffers.Binary;
using System.Text;

namespace Dreamwell.Chain;

/// <summary>Byte layout of seal.chain records (docs/identity.md, "Seal chain").</summary>
internal static class SealRecordCodec
{
    public static ReadOnlySpan<byte> FileMagic => "SEAL"u8;
    public static ReadOnlySpan<byte> SignatureDomain => "dreamwell-seal-v1"u8;
    public const ushort Version = 1;
    public const int FileHeaderBytes = 40;
    public const int MaxRecordBytes = 64 * 1024;
    public const int MaxOperationBytes = 64;
    public const int MaxSubjects = 16;
    public const int MaxPayloadBytes = 32 * 1024;
    public const int SignatureBytes = 64;
    private const long MaxTimeMilliseconds = 253402300799999; // 9999-12-31

    public static byte[] FileHeader(ReadOnlySpan<byte> ownerPublicKey)
    {
        var header = new byte[FileHeaderBytes];
        FileMagic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), Version);
        ownerPublicKey.CopyTo(header.AsSpan(8));
        return header;
    }

    /// <summary>The body without its signature: what the owner signs (after the domain string).</summary>
    public static byte[] UnsignedBody(long index, ReadOnlySpan<byte> previousHash, DateTimeOffset time, string operation, IReadOnlyList<byte[]> subjects, string payload)
    {
        var op = Encoding.UTF8.GetBytes(operation);
        var data = Encoding.UTF8.GetBytes(payload);
        if (op.Length is 0 or > MaxOperationBytes) throw new DreamException("BadOperation", DreamErrorKind.InvalidArgument, $"An operation name is 1..{MaxOperationBytes} bytes.");
        if (subjects.Count > MaxSubjects) throw new DreamException("TooManySubjects", DreamErrorKind.LimitExceeded, $"At most {MaxSubjects} subject hashes per seal.");
        if (data.Length > MaxPayloadBytes) throw new DreamException("PayloadTooLarge", DreamErrorKind.LimitExceeded, $"A seal payload is at most {MaxPayloadBytes} bytes.");
        using var body = new MemoryStream();
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(number, index); body.Write(number);
        body.Write(previousHash);
        BinaryPrimitives.WriteInt64LittleEndian(number, time.ToUnixTimeMilliseconds()); body.Write(number);
        BinaryPrimitives.WriteUInt16LittleEndian(number, (ushort)op.Length); body.Write(number[..2]); body.Write(op);
        body.WriteByte((byte)subjects.Count);
        foreach (var s in subjects)
        {
            if (s.Length != 32) throw new DreamException("BadSubject", DreamErrorKind.InvalidArgument, "A subject is a 32-byte BLAKE3 hash.");
            body.Write(s);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(number, (uint)data.Length); body.Write(number[..4]); body.Write(data);
        return body.ToArray();
    }

    public static byte[] SignedMessage(ReadOnlySpan<byte> unsignedBody)
    {
        var message = new byte[SignatureDomain.Length + unsignedBody.Length];
        SignatureDomain.CopyTo(message);
        unsignedBody.CopyTo(message.AsSpan(SignatureDomain.Length));
        return message;
    }

    /// <summary>Parses a record body (unsigned part + signature). Throws DreamFormatException when malformed.</summary>
    public static (SealEntry Entry, byte[] Unsigned, byte[] Signature, byte[] PreviousHash, byte[] Hash) Parse(ReadOnlySpan<byte> bodySpan, long offset)
    {
        var body = bodySpan.ToArray();
        var at = 0;
        long Need(int n)
        {
            if (at + n > body.Length) throw new DreamFormatException("Malformed", "A seal record ends inside a field.", offset + at);
            var start = at; at += n; return start;
        }
        var index = BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan((int)Need(8)));
        var previous = body.AsSpan((int)Need(32), 32).ToArray();
        var time = BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan((int)Need(8)));
        if (time < 0 || time > MaxTimeMilliseconds) throw new DreamFormatException("Malformed", "A seal record has an impossible time.", offset + at);
        int opLength = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan((int)Need(2)));
        if (opLength is 0 or > MaxOperationBytes) throw new DreamFormatException("Malformed", "A seal record has a bad operation length.", offset + at);
        var op = Encoding.UTF8.GetString(body.AsSpan((int)Need(opLength), opLength));
        int subjectCount = body[(int)Need(1)];
        if (subjectCount > MaxSubjects) throw new DreamFormatException("Malformed", "A seal record has too many subjects.", offset + at);
        var subjects = new List<string>(subjectCount);
        for (var i = 0; i < subjectCount; i++) subjects.Add(Convert.ToHexStringLower(body.AsSpan((int)Need(32), 32)));
        var payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan((int)Need(4)));
        if (payloadLength > MaxPayloadBytes) throw new DreamFormatException("Malformed", "A seal record has an oversized payload.", offset + at);
        var payload = Encoding.UTF8.GetString(body.AsSpan((int)Need((int)payloadLength), (int)payloadLength));
        var unsignedLength = at;
        var signature = body.AsSpan((int)Need(SignatureBytes), SignatureBytes).ToArray();
        if (at != body.Length) throw new DreamFormatException("Malformed", "A seal record has trailing bytes.", offset + at);
        var hash = Blake3Hash.Compute(body);
        var entry = new SealEntry(index, Convert.ToHexStringLower(previous), DateTimeOffset.FromUnixTimeMilliseconds(time), op, subjects, payload,
            Convert.ToHexStringLower(signature), Convert.ToHexStringLower(hash)) { FileOffset = offset };
        return (entry, body[..unsignedLength], signature, previous, hash);
    }
}
