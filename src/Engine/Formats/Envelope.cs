using System.Buffers.Binary;
using System.Text;

namespace Dreamwell.Formats;

/// <summary>
/// The frame every container shares: a 16-byte preamble (magic, version, flags, header length, reserved),
/// the format's header body, then a BLAKE3 hash of everything before it. The payload follows at
/// <c>48 + headerLength</c>. See docs/formats.md "Common envelope".
/// </summary>
internal static class Envelope
{
    public const int PreambleSize = 16;
    public const int HashSize = Blake3Hash.Size;

    public static long PayloadOffset(int headerLength) => PreambleSize + (long)headerLength + HashSize;

    public static ReadOnlySpan<byte> Magic(DreamFormat format) => format switch
    {
        DreamFormat.Dreamfile => "DRFL"u8,
        DreamFormat.QPort => "QPRT"u8,
        DreamFormat.Delta => "QDLT"u8,
        DreamFormat.Fractal => "FRCL"u8,
        DreamFormat.Fibo => "FIBO"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static DreamFormat? FromMagic(ReadOnlySpan<byte> magic)
    {
        foreach (var format in Enum.GetValues<DreamFormat>())
            if (magic.SequenceEqual(Magic(format))) return format;
        return null;
    }

    /// <summary>Preamble + body + header hash, ready to be written at offset 0.</summary>
    public static byte[] Seal(DreamFormat format, ushort version, byte[] body)
    {
        var sealedHeader = new byte[PayloadOffset(body.Length)];
        Magic(format).CopyTo(sealedHeader);
        BinaryPrimitives.WriteUInt16LittleEndian(sealedHeader.AsSpan(4), version);
        BinaryPrimitives.WriteUInt16LittleEndian(sealedHeader.AsSpan(6), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(sealedHeader.AsSpan(8), checked((uint)body.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(sealedHeader.AsSpan(12), 0);
        body.CopyTo(sealedHeader.AsSpan(PreambleSize));
        var covered = PreambleSize + body.Length;
        Blake3Hash.Compute(sealedHeader.AsSpan(0, covered)).CopyTo(sealedHeader.AsSpan(covered));
        return sealedHeader;
    }

    /// <summary>A placeholder of the right size, overwritten by <see cref="Seal"/> once the payload is known.</summary>
    /// <summary>
    /// Writes the sealed header over the placeholder at the start of a finished container and hashes the whole
    /// container as it now stands on disk (the receipt's OutputHash).
    /// </summary>
    public static (byte[] Hash, long Length) WriteHeaderAndHash(FileStream stream, byte[] header, CancellationToken ct)
    {
        stream.Position = 0;
        stream.Write(header);
        stream.Position = 0;
        return (Blake3Hash.ComputeStream(stream, ct), stream.Length);
    }

    public static byte[] Placeholder(int bodyLength) => new byte[PayloadOffset(bodyLength)];

    /// <summary>Reads and verifies preamble and header; the stream is left at the payload.</summary>
    public static SealedHeader Open(Stream stream, DreamFormat expected, ushort supportedVersion)
    {
        var length = stream.Length;
        Span<byte> preamble = stackalloc byte[PreambleSize];
        ReadExactly(stream, preamble, 0, "preamble");
        var format = FromMagic(preamble[..4]);
        if (format != expected)
            throw new DreamFormatException("BadMagic", $"Expected magic '{Encoding.ASCII.GetString(Magic(expected))}', found '{Printable(preamble[..4])}'.", 0);
        var version = BinaryPrimitives.ReadUInt16LittleEndian(preamble[4..]);
        if (version != supportedVersion)
            throw new DreamFormatException("UnsupportedVersion", $"{expected} version {version} is not supported (this reader knows {supportedVersion}).", 4);
        if (BinaryPrimitives.ReadUInt16LittleEndian(preamble[6..]) != 0)
            throw new DreamFormatException("UnsupportedVersion", "Unknown flags are set; a newer writer made this container.", 6);
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        if (headerLength > FormatLimits.MaxHeaderBytes)
            throw new DreamFormatException("LimitExceeded", $"Header length {headerLength} exceeds {FormatLimits.MaxHeaderBytes}.", 8);
        if (BinaryPrimitives.ReadUInt32LittleEndian(preamble[12..]) != 0)
            throw new DreamFormatException("UnsupportedVersion", "Reserved preamble field is not zero.", 12);
        var payloadOffset = PayloadOffset((int)headerLength);
        if (payloadOffset > length)
            throw new DreamFormatException("Truncated", $"Container is {length} bytes; its header alone needs {payloadOffset}.", length);

        var header = new byte[payloadOffset];
        preamble.CopyTo(header);
        ReadExactly(stream, header, PreambleSize, "header");
        var covered = PreambleSize + (int)headerLength;
        if (!Blake3Hash.Compute(header.AsSpan(0, covered)).AsSpan().SequenceEqual(header.AsSpan(covered)))
            throw new DreamFormatException("HeaderHashMismatch", "The header's BLAKE3 hash does not match: the header is damaged.", covered);
        return new SealedHeader(format.Value, version, header.AsSpan(PreambleSize, (int)headerLength).ToArray(), payloadOffset, length);
    }

    /// <summary>The payload must end exactly at the end of the file: shorter is truncation, longer is tampering.</summary>
    public static void CheckLength(SealedHeader header, long payloadBytes)
    {
        var expected = header.PayloadOffset + payloadBytes;
        if (header.ContainerLength < expected)
            throw new DreamFormatException("Truncated", $"Container is {header.ContainerLength} bytes; its header declares {expected}.", header.ContainerLength);
        if (header.ContainerLength > expected)
            throw new DreamFormatException("TrailingData", $"Container has {header.ContainerLength - expected} bytes after its declared end.", expected);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, int from, string what)
    {
        var read = stream.ReadAtLeast(buffer[from..], buffer.Length - from, throwOnEndOfStream: false);
        if (read < buffer.Length - from)
            throw new DreamFormatException("Truncated", $"Container ends inside its {what}.", from + read);
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = bytes[i] is >= 0x20 and < 0x7f ? (char)bytes[i] : '?';
        return new string(chars);
    }
}

internal sealed record SealedHeader(DreamFormat Format, int Version, byte[] Body, long PayloadOffset, long ContainerLength);
