namespace Dreamwell.Node.Secure;

/// <summary>
/// The few protobuf wire rules the libp2p handshake needs (varint and length-delimited fields),
/// bounded so that a hostile peer cannot make the reader loop, overflow or allocate.
/// </summary>
internal static class ProtobufWire
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    public static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }
        output.Add((byte)value);
    }

    public static void WriteBytesField(List<byte> output, int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteVarint(output, (ulong)((fieldNumber << 3) | LengthDelimited));
        WriteVarint(output, (ulong)value.Length);
        foreach (var b in value) output.Add(b);
    }

    public static void WriteVarintField(List<byte> output, int fieldNumber, ulong value)
    {
        WriteVarint(output, (ulong)(fieldNumber << 3 | Varint));
        WriteVarint(output, value);
    }
}

/// <summary>Reads one protobuf message from a span; every malformation is a <see cref="DreamException"/>.</summary>
internal ref struct ProtobufReader
{
    private ReadOnlySpan<byte> _rest;

    public ProtobufReader(ReadOnlySpan<byte> message) => _rest = message;

    public bool AtEnd => _rest.IsEmpty;

    public (int FieldNumber, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        var fieldNumber = tag >> 3;
        if (fieldNumber is 0 or > int.MaxValue) throw SecureChannelErrors.Payload("field number out of range");
        return ((int)fieldNumber, (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_rest.IsEmpty) throw SecureChannelErrors.Payload("truncated varint");
            var b = _rest[0];
            _rest = _rest[1..];
            if (shift == 63 && b > 1) throw SecureChannelErrors.Payload("varint overflows 64 bits");
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
        throw SecureChannelErrors.Payload("varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)_rest.Length) throw SecureChannelErrors.Payload("a field runs past the end of the message");
        var value = _rest[..(int)length];
        _rest = _rest[(int)length..];
        return value;
    }

    /// <summary>Unknown fields are skipped, as protobuf requires; groups are refused.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case ProtobufWire.Varint: ReadVarint(); break;
            case ProtobufWire.LengthDelimited: ReadLengthDelimited(); break;
            case ProtobufWire.Fixed64: Take(8); break;
            case ProtobufWire.Fixed32: Take(4); break;
            default: throw SecureChannelErrors.Payload($"unsupported wire type {wireType}");
        }
    }

    private void Take(int count)
    {
        if (_rest.Length < count) throw SecureChannelErrors.Payload("truncated fixed-width field");
        _rest = _rest[count..];
    }
}
