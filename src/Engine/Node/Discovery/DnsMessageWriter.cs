using System.Buffers.Binary;
using System.Text;

namespace Dreamwell.Node.Discovery;

/// <summary>Writes mDNS messages without name compression (our packets are a few hundred bytes).</summary>
internal static class DnsMessageWriter
{
    public static byte[] Write(DnsMessage message)
    {
        using var buffer = new MemoryStream();
        WriteUInt16(buffer, 0); // mDNS id is zero (RFC 6762 §18.1)
        WriteUInt16(buffer, (ushort)(message.IsResponse ? 0x8400 : 0)); // QR + AA for responses
        WriteUInt16(buffer, (ushort)message.Questions.Count);
        WriteUInt16(buffer, (ushort)message.Answers.Count);
        WriteUInt16(buffer, 0);
        WriteUInt16(buffer, (ushort)message.Additional.Count);
        foreach (var question in message.Questions)
        {
            WriteName(buffer, question.Name);
            WriteUInt16(buffer, question.Type);
            WriteUInt16(buffer, (ushort)(question.UnicastResponse ? 0x8001 : 1));
        }
        foreach (var record in message.Answers.Concat(message.Additional)) WriteRecord(buffer, record);
        if (buffer.Length > DnsWireLimits.MaxPacketSize)
            throw new DreamException(DiscoveryErrors.PacketTooLarge, DreamErrorKind.LimitExceeded, $"An mDNS packet of {buffer.Length} bytes exceeds {DnsWireLimits.MaxPacketSize}.");
        return buffer.ToArray();
    }

    private static void WriteRecord(MemoryStream buffer, DnsRecord record)
    {
        WriteName(buffer, record.Name);
        WriteUInt16(buffer, record.Type);
        WriteUInt16(buffer, (ushort)(record.CacheFlush ? 0x8001 : 1));
        Span<byte> ttl = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(ttl, record.Ttl);
        buffer.Write(ttl);
        using var data = new MemoryStream();
        switch (record)
        {
            case PtrRecord ptr:
                WriteName(data, ptr.Target);
                break;
            case SrvRecord srv:
                WriteUInt16(data, srv.Priority);
                WriteUInt16(data, srv.Weight);
                WriteUInt16(data, srv.Port);
                WriteName(data, srv.Target);
                break;
            case TxtRecord txt:
                foreach (string text in txt.Strings)
                {
                    byte[] bytes = Encoding.UTF8.GetBytes(text);
                    if (bytes.Length > 255) throw new DreamException(DiscoveryErrors.InvalidAnnouncement, DreamErrorKind.InvalidArgument, $"TXT string '{text[..Math.Min(20, text.Length)]}…' is over 255 bytes.");
                    data.WriteByte((byte)bytes.Length);
                    data.Write(bytes);
                }
                if (txt.Strings.Count == 0) data.WriteByte(0);
                break;
            case ARecord a:
                data.Write(a.Address.MapToIPv4().GetAddressBytes());
                break;
        }
        WriteUInt16(buffer, (ushort)data.Length);
        data.Position = 0;
        data.CopyTo(buffer);
    }

    private static void WriteName(MemoryStream buffer, string name)
    {
        foreach (string label in name.TrimEnd('.').Split('.'))
        {
            byte[] bytes = Encoding.UTF8.GetBytes(label);
            if (bytes.Length is 0 or > DnsWireLimits.MaxLabelLength)
                throw new DreamException(DiscoveryErrors.InvalidAnnouncement, DreamErrorKind.InvalidArgument, $"DNS label '{label}' must be 1 to 63 bytes.");
            buffer.WriteByte((byte)bytes.Length);
            buffer.Write(bytes);
        }
        buffer.WriteByte(0);
    }

    private static void WriteUInt16(MemoryStream buffer, ushort value)
    {
        buffer.WriteByte((byte)(value >> 8));
        buffer.WriteByte((byte)value);
    }
}
