using System.Buffers.Binary;
using Dreamwell.Node.Secure;

namespace Dreamwell.Node;

/// <summary>
/// Binary frames and bounds of content exchange (observe, manifest, want, chunk) and file transfer (offer, have,
/// chunk, sent, received). Integers are big-endian; hashes are raw 32-byte BLAKE3. Layouts in docs/protocol.md,
/// "Content transfer (observe, have, want, send)".
/// </summary>
internal static class TransferWire
{
    /// <summary>Owner → requester: [0x01][u32 request][32 hash][u32 piece offset][piece bytes].</summary>
    public const byte ContentChunk = 0x01;

    /// <summary>Owner → requester: [0x02][u32 request][u32 first index][n × (32 hash, u32 size)].</summary>
    public const byte ManifestEntries = 0x02;

    /// <summary>Sender → receiver: [0x11][16 transfer id][u32 chunk index][u32 piece offset][piece bytes].</summary>
    public const byte FileChunk = 0x11;

    /// <summary>Sender → receiver, after a chunk's last piece: [0x13][16 transfer id][u32 chunk index][32 hash].</summary>
    public const byte FileChunkEnd = 0x13;

    /// <summary>Receiver → sender: [0x12][16 transfer id][n × (u32 chunk index, 32 hash)], the chunks it already holds.</summary>
    public const byte HaveEntries = 0x12;

    public const int ContentChunkHeader = 1 + 4 + 32 + 4;
    public const int FileChunkHeader = 1 + 16 + 4 + 4;
    public const int FileChunkEndSize = 1 + 16 + 4 + 32;
    public const int ManifestEntrySize = 32 + 4;
    public const int HaveEntrySize = 4 + 32;
    public const int TransferIdBytes = 16;

    /// <summary>The largest piece a file chunk frame carries (what a sender uses; a receiver takes any piece that fits).</summary>
    public const int FilePieceSize = MaxMessage - FileChunkHeader;

    /// <summary>Fixed chunk size of a file transfer (like .qport: chunk i is bytes [i·S, (i+1)·S) of the file).</summary>
    public const int FileChunkSize = 1 << 20;

    public const int MaxMessage = SecureConnection.MaxMessageLength;
    public const int ManifestEntriesPerFrame = (MaxMessage - 9) / ManifestEntrySize;
    public const int HaveEntriesPerFrame = (MaxMessage - 17) / HaveEntrySize;

    /// <summary>Most chunks a manifest may list (a larger one is a violation: it would pin requester memory).</summary>
    public const int MaxManifestChunks = 1 << 20;

    /// <summary>Most hashes one want message carries, and most wanted chunks outstanding per link.</summary>
    public const int MaxWantPerMessage = 64;
    public const int MaxOutstandingWants = 512;

    /// <summary>Most observe requests one link may have open at once (each side).</summary>
    public const int MaxOpenObserves = 8;

    /// <summary>Most inbound file transfers one link, and the whole node, may run at once.</summary>
    public const int MaxTransfersPerLink = 4;
    public const int MaxTransfersPerNode = 16;

    public static long MaxFileBytes => Content.ContentLimits.MaxItemBytes;

    public static int ChunkCount(long size) => (int)((size + FileChunkSize - 1) / FileChunkSize);

    public static int ChunkLength(long size, int index) => (int)Math.Min(FileChunkSize, size - (long)index * FileChunkSize);

    public static uint U32(ReadOnlySpan<byte> frame, int at) => BinaryPrimitives.ReadUInt32BigEndian(frame[at..]);

    public static byte[] EncodeContentChunk(uint request, ReadOnlySpan<byte> hash, int pieceOffset, ReadOnlySpan<byte> piece)
    {
        var frame = new byte[ContentChunkHeader + piece.Length];
        frame[0] = ContentChunk;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), request);
        hash.CopyTo(frame.AsSpan(5));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(37), (uint)pieceOffset);
        piece.CopyTo(frame.AsSpan(ContentChunkHeader));
        return frame;
    }

    public static byte[] EncodeManifestEntries(uint request, int firstIndex, IReadOnlyList<(string Hash, int Size)> entries, int count)
    {
        var frame = new byte[9 + count * ManifestEntrySize];
        frame[0] = ManifestEntries;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), request);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), (uint)firstIndex);
        for (var i = 0; i < count; i++)
        {
            var at = 9 + i * ManifestEntrySize;
            Convert.FromHexString(entries[firstIndex + i].Hash).CopyTo(frame.AsSpan(at));
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(at + 32), (uint)entries[firstIndex + i].Size);
        }
        return frame;
    }

    public static void WriteFileChunkHeader(Span<byte> frame, ReadOnlySpan<byte> transfer, int index, int pieceOffset)
    {
        frame[0] = FileChunk;
        transfer.CopyTo(frame[1..]);
        BinaryPrimitives.WriteUInt32BigEndian(frame[17..], (uint)index);
        BinaryPrimitives.WriteUInt32BigEndian(frame[21..], (uint)pieceOffset);
    }

    public static byte[] EncodeFileChunkEnd(ReadOnlySpan<byte> transfer, int index, ReadOnlySpan<byte> hash)
    {
        var frame = new byte[FileChunkEndSize];
        frame[0] = FileChunkEnd;
        transfer.CopyTo(frame.AsSpan(1));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(17), (uint)index);
        hash.CopyTo(frame.AsSpan(21));
        return frame;
    }

    public static byte[] EncodeHaveEntries(ReadOnlySpan<byte> transfer, IReadOnlyList<(int Index, byte[] Hash)> entries, int first, int count)
    {
        var frame = new byte[17 + count * HaveEntrySize];
        frame[0] = HaveEntries;
        transfer.CopyTo(frame.AsSpan(1));
        for (var i = 0; i < count; i++)
        {
            var at = 17 + i * HaveEntrySize;
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(at), (uint)entries[first + i].Index);
            entries[first + i].Hash.CopyTo(frame.AsSpan(at + 4));
        }
        return frame;
    }

    /// <summary>A 64-hex-digit hash member of a JSON message (lowercased), or a violation.</summary>
    public static string HashText(System.Text.Json.JsonElement body, string name)
    {
        var text = FqtpMessages.Text(body, name, 64);
        if (text.Length != 64 || !text.All(char.IsAsciiHexDigit)) throw FqtpMessages.Violation($"'{name}' must be 64 hex digits.");
        return text.ToLowerInvariant();
    }

    public static string TransferIdText(System.Text.Json.JsonElement body)
    {
        var text = FqtpMessages.Text(body, "transfer", 32);
        if (text.Length != 32 || !text.All(char.IsAsciiHexDigit)) throw FqtpMessages.Violation("'transfer' must be 32 hex digits.");
        return text.ToLowerInvariant();
    }

    public static long Number(System.Text.Json.JsonElement body, string name, long max)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind != System.Text.Json.JsonValueKind.Number || !value.TryGetInt64(out var n) || n < 0 || n > max)
            throw FqtpMessages.Violation($"'{name}' must be an integer between 0 and {max}.");
        return n;
    }
}
