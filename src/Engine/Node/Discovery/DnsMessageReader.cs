using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Dreamwell.Node.Discovery;

/// <summary>
/// Reads an mDNS message with every length and count checked against <see cref="DnsWireLimits"/>.
/// Throws <see cref="DnsWireException"/> and nothing else for bad input.
/// </summary>
internal ref struct DnsMessageReader
{
    private readonly ReadOnlySpan<byte> _packet;
    private int _position;

    private DnsMessageReader(ReadOnlySpan<byte> packet)
    {
        _packet = packet;
        _position = 0;
    }

    public static DnsMessage Read(ReadOnlySpan<byte> packet)
    {
        if (packet.Length > DnsWireLimits.MaxPacketSize) throw new DnsWireException($"Packet of {packet.Length} bytes exceeds {DnsWireLimits.MaxPacketSize}.");
        if (packet.Length < 12) throw new DnsWireException("Packet shorter than a DNS header.");
        var reader = new DnsMessageReader(packet);
        return reader.ReadMessage();
    }

    private DnsMessage ReadMessage()
    {
        _position = 2; // mDNS ignores the query id (RFC 6762 §18.1)
        ushort flags = ReadUInt16();
        int questionCount = ReadUInt16();
        int answerCount = ReadUInt16();
        int authorityCount = ReadUInt16();
        int additionalCount = ReadUInt16();
        if ((flags & 0x7800) != 0) throw new DnsWireException("Only standard queries (opcode 0) are accepted.");
        if (questionCount > DnsWireLimits.MaxQuestions) throw new DnsWireException($"{questionCount} questions exceed {DnsWireLimits.MaxQuestions}.");
        if (answerCount + authorityCount + additionalCount > DnsWireLimits.MaxRecords)
            throw new DnsWireException($"{answerCount + authorityCount + additionalCount} records exceed {DnsWireLimits.MaxRecords}.");

        var questions = new List<DnsQuestion>(questionCount);
        for (int i = 0; i < questionCount; i++)
        {
            string name = ReadName();
            ushort type = ReadUInt16();
            ushort klass = ReadUInt16();
            questions.Add(new DnsQuestion(name, type, UnicastResponse: (klass & 0x8000) != 0));
        }
        var answers = new List<DnsRecord>();
        for (int i = 0; i < answerCount + authorityCount; i++) AddRecord(answers);
        var additional = new List<DnsRecord>();
        for (int i = 0; i < additionalCount; i++) AddRecord(additional);
        return new DnsMessage((flags & 0x8000) != 0, questions, answers, additional);
    }

    private void AddRecord(List<DnsRecord> into)
    {
        string name = ReadName();
        ushort type = ReadUInt16();
        ushort klass = ReadUInt16();
        uint ttl = ReadUInt32();
        int length = ReadUInt16();
        int end = _position + length;
        if (end > _packet.Length) throw new DnsWireException("Record data runs past the end of the packet.");
        DnsRecord? record = type switch
        {
            DnsType.Ptr => new PtrRecord(name, ttl, ReadName()),
            DnsType.Srv => ReadSrv(name, ttl),
            DnsType.Txt => ReadTxt(name, ttl, end),
            DnsType.A when length == 4 => new ARecord(name, ttl, new IPAddress(_packet.Slice(_position, 4))),
            _ => null,
        };
        if (record is not null && (klass & 0x7FFF) != 1) record = null; // only class IN
        if (type is DnsType.Ptr or DnsType.Srv && _position > end) throw new DnsWireException("Record data longer than its length field.");
        _position = end;
        if (record is not null) into.Add(record);
    }

    private SrvRecord ReadSrv(string name, uint ttl)
    {
        ushort priority = ReadUInt16();
        ushort weight = ReadUInt16();
        ushort port = ReadUInt16();
        return new SrvRecord(name, ttl, port, ReadName(), priority, weight);
    }

    private TxtRecord ReadTxt(string name, uint ttl, int end)
    {
        var strings = new List<string>();
        while (_position < end)
        {
            if (strings.Count == DnsWireLimits.MaxTxtStrings) throw new DnsWireException($"TXT record has more than {DnsWireLimits.MaxTxtStrings} strings.");
            int length = _packet[_position++];
            if (_position + length > end) throw new DnsWireException("TXT string runs past its record.");
            strings.Add(Encoding.UTF8.GetString(_packet.Slice(_position, length)));
            _position += length;
        }
        return new TxtRecord(name, ttl, strings);
    }

    private string ReadName()
    {
        var name = new StringBuilder();
        int encodedLength = 0;
        int cursor = _position;
        int hops = 0;
        int? resumeAt = null;
        while (true)
        {
            if (cursor >= _packet.Length) throw new DnsWireException("Name runs past the end of the packet.");
            int length = _packet[cursor];
            if ((length & 0xC0) == 0xC0)
            {
                if (cursor + 1 >= _packet.Length) throw new DnsWireException("Truncated compression pointer.");
                int target = ((length & 0x3F) << 8) | _packet[cursor + 1];
                if (target >= cursor || ++hops > DnsWireLimits.MaxPointerHops) throw new DnsWireException("Compression pointer loops or points forward.");
                resumeAt ??= cursor + 2;
                cursor = target;
                continue;
            }
            if ((length & 0xC0) != 0) throw new DnsWireException("Unknown label type.");
            cursor++;
            if (length == 0) break;
            encodedLength += length + 1;
            if (encodedLength > DnsWireLimits.MaxNameLength) throw new DnsWireException("Name longer than 255 bytes.");
            if (cursor + length > _packet.Length) throw new DnsWireException("Label runs past the end of the packet.");
            if (name.Length > 0) name.Append('.');
            name.Append(Encoding.UTF8.GetString(_packet.Slice(cursor, length)));
            cursor += length;
        }
        _position = resumeAt ?? cursor;
        return name.ToString();
    }

    private ushort ReadUInt16()
    {
        if (_position + 2 > _packet.Length) throw new DnsWireException("Packet ends inside a field.");
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(_packet.Slice(_position, 2));
        _position += 2;
        return value;
    }

    private uint ReadUInt32()
    {
        if (_position + 4 > _packet.Length) throw new DnsWireException("Packet ends inside a field.");
        uint value = BinaryPrimitives.ReadUInt32BigEndian(_packet.Slice(_position, 4));
        _position += 4;
        return value;
    }
}
