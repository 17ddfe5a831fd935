using System.Buffers.Binary;

namespace Dreamwell.Tests.Discovery;

/// <summary>Deterministic bad input for the mDNS reader: random bytes, mutations of a valid packet, hostile headers.</summary>
internal static class MalformedPackets
{
    public static byte[] Next(Random random, byte[] valid) => random.Next(6) switch
    {
        0 => RandomBytes(random, random.Next(0, 600)),
        1 => Mutate(random, valid),
        2 => valid[..random.Next(0, valid.Length)],
        3 => HugeCounts(random),
        4 => PointerLoop(),
        _ => RandomBytes(random, random.Next(DnsWireLimitsPlusOne, DnsWireLimitsPlusOne + 500)),
    };

    private const int DnsWireLimitsPlusOne = Dreamwell.Node.Discovery.DnsWireLimits.MaxPacketSize + 1;

    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public static byte[] Mutate(Random random, byte[] valid)
    {
        var copy = (byte[])valid.Clone();
        int flips = random.Next(1, 8);
        for (int i = 0; i < flips; i++) copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    public static byte[] HugeCounts(Random random)
    {
        var packet = RandomBytes(random, 64);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 0x8400);
        for (int section = 0; section < 4; section++) BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4 + 2 * section), 0xFFFF);
        return packet;
    }

    /// <summary>A question whose name is a compression pointer to itself.</summary>
    public static byte[] PointerLoop()
    {
        var packet = new byte[12 + 2 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 1);
        packet[12] = 0xC0;
        packet[13] = 12;
        return packet;
    }
}
