using System.Buffers.Binary;
using System.Text;

namespace Dreamwell.Formats;

/// <summary>Appends little-endian fields to a header being built in memory.</summary>
internal sealed class HeaderBuilder
{
    private readonly MemoryStream _buffer = new();

    public long Length => _buffer.Length;

    public void U8(byte value) => _buffer.WriteByte(value);

    public void U16(ushort value) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, value); _buffer.Write(b); }

    public void U32(uint value) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, value); _buffer.Write(b); }

    public void I32(int value) => U32(unchecked((uint)value));

    public void U64(ulong value) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, value); _buffer.Write(b); }

    public void I64(long value) => U64(unchecked((ulong)value));

    public void Bytes(ReadOnlySpan<byte> value) => _buffer.Write(value);

    /// <summary>A u16 byte length followed by the UTF-8 bytes.</summary>
    public void Text(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        U16(checked((ushort)bytes.Length));
        Bytes(bytes);
    }

    public byte[] ToArray() => _buffer.ToArray();
}

/// <summary>Reads little-endian fields from a verified header body; every read is bounds-checked.</summary>
internal ref struct HeaderReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly long _baseOffset;
    private int _position;

    public HeaderReader(ReadOnlySpan<byte> data, long baseOffset)
    {
        _data = data;
        _baseOffset = baseOffset;
        _position = 0;
    }

    public long Offset => _baseOffset + _position;
    public int Remaining => _data.Length - _position;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
            throw new DreamFormatException("Truncated", $"Header ends before a {count}-byte field.", Offset);
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    public byte U8() => Take(1)[0];
    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
    public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
    public byte[] Bytes(int count) => Take(count).ToArray();
    public byte[] Hash() => Bytes(Blake3Hash.Size);

    /// <summary>A size field that must fit 0..max; read as u64 so a huge value is refused, never wrapped.</summary>
    public long Size(long max, string what)
    {
        var at = Offset;
        var value = U64();
        if (value > (ulong)max)
            throw new DreamFormatException("LimitExceeded", $"{what} {value} exceeds the limit {max}.", at);
        return (long)value;
    }

    public int Count(int max, string what)
    {
        var at = Offset;
        var value = U32();
        if (value > (uint)max)
            throw new DreamFormatException("LimitExceeded", $"{what} {value} exceeds the limit {max}.", at);
        return (int)value;
    }

    public string Text(int maxBytes, string what)
    {
        var at = Offset;
        int length = U16();
        if (length > maxBytes)
            throw new DreamFormatException("LimitExceeded", $"{what} is {length} bytes; the limit is {maxBytes}.", at);
        var bytes = Take(length);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DreamFormatException("BadText", $"{what} is not valid UTF-8.", at, e);
        }
    }

    public void End()
    {
        if (Remaining != 0)
            throw new DreamFormatException("HeaderLengthMismatch", $"Header has {Remaining} unexpected trailing bytes.", Offset);
    }
}
