using System.Buffers.Binary;
using Blake3;

namespace Dreamwell.Formats;

/// <summary>
/// FastCDC content-defined chunking (Xia et al., 2016) with normalized chunking level 2: an insertion moves
/// only the chunk boundaries next to it. Min 2 KiB, average 8 KiB, max 64 KiB. The gear table is the first
/// 2048 bytes of BLAKE3("dreamwell.qdlt.fastcdc.gear.v1") read as 256 little-endian u64; the masks are the
/// top 15 bits before the average size and the top 11 bits after it. Only the delta writer chunks: readers
/// follow the explicit op list, so these constants never affect decoding.
/// </summary>
internal static class FastCdc
{
    public const int MinSize = 2 << 10;
    public const int AverageSize = 8 << 10;
    public const int MaxSize = 64 << 10;
    private const ulong MaskSmall = 0xFFFE_0000_0000_0000UL; // 15 bits: harder to cut before the average
    private const ulong MaskLarge = 0xFFE0_0000_0000_0000UL; // 11 bits: easier to cut after it

    private static readonly ulong[] Gear = BuildGear();

    private static ulong[] BuildGear()
    {
        using var hasher = Hasher.New();
        hasher.Update("dreamwell.qdlt.fastcdc.gear.v1"u8);
        var bytes = new byte[256 * 8];
        hasher.Finalize(bytes);
        var gear = new ulong[256];
        for (var i = 0; i < 256; i++) gear[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * 8));
        return gear;
    }

    /// <summary>Length of the first chunk of <paramref name="data"/> (all of it when it is the tail of the stream).</summary>
    public static int Cut(ReadOnlySpan<byte> data)
    {
        var n = data.Length;
        if (n <= MinSize) return n;
        if (n > MaxSize) n = MaxSize;
        var normal = Math.Min(AverageSize, n);
        ulong fp = 0;
        var gear = Gear;
        var i = MinSize;
        for (; i < normal; i++)
        {
            fp = (fp << 1) + gear[data[i]];
            if ((fp & MaskSmall) == 0) return i;
        }
        for (; i < n; i++)
        {
            fp = (fp << 1) + gear[data[i]];
            if ((fp & MaskLarge) == 0) return i;
        }
        return n;
    }

    public delegate void ChunkHandler(long offset, ReadOnlySpan<byte> chunk);

    /// <summary>Streams <paramref name="input"/> through the chunker with a bounded buffer.</summary>
    public static long Split(Stream input, ChunkHandler handler, CancellationToken ct)
    {
        // Pooled: the sync scanner chunks many small files, and a fresh 4 MiB array each time is pure GC churn.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(4 << 20);
        try
        {
            return SplitInto(buffer, input, handler, ct);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long SplitInto(byte[] buffer, Stream input, ChunkHandler handler, CancellationToken ct)
    {
        int start = 0, end = 0;
        long offset = 0;
        var eof = false;
        while (true)
        {
            if (!eof && end - start < MaxSize)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
                while (end < buffer.Length)
                {
                    var read = input.Read(buffer, end, buffer.Length - end);
                    if (read == 0) { eof = true; break; }
                    end += read;
                }
                ct.ThrowIfCancellationRequested();
            }
            if (end == start) return offset;
            var cut = Cut(buffer.AsSpan(start, end - start));
            handler(offset, buffer.AsSpan(start, cut));
            offset += cut;
            start += cut;
        }
    }
}
