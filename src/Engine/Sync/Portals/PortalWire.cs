using System.Buffers.Binary;
using System.Text;

namespace Dreamwell.Sync;

/// <summary>
/// Binary FQTP frames of portals (docs/sync.md, "Wire"): an index batch (0x50) carries file states, a chunk piece (0x51)
/// carries part of a requested chunk. Integers are little-endian; every count and length is checked against the frame
/// and against <see cref="SyncPath"/> limits before anything is allocated.
/// </summary>
internal static class PortalWire
{
    public const byte IndexFrame = 0x50;
    public const byte ChunkFrame = 0x51;
    public const byte ChunksFrame = 0x52;
    public const int MaxFrameBytes = 60 * 1024;
    public const int MaxChunksPerFile = 1 << 21;
    private const int ChunkHeaderBytes = 1 + ShareKey.ShareIdBytes + 4 + 4 + 4;

    /// <summary>
    /// Splits states into index frames of at most <see cref="MaxFrameBytes"/>. A file with more chunks than one frame holds
    /// (over ~13 MiB at the average chunk size) is sent as consecutive pieces, each flagged "more follows" but the last;
    /// <see cref="IndexAssembler"/> joins them on the other side.
    /// </summary>
    public static IEnumerable<byte[]> EncodeIndex(byte[] shareId, IEnumerable<SyncFileState> states)
    {
        var frame = new MemoryStream();
        var count = 0;
        void Start()
        {
            frame = new MemoryStream();
            frame.WriteByte(IndexFrame);
            frame.Write(shareId);
            frame.Write(new byte[4]);
            count = 0;
        }
        byte[] Finish()
        {
            var bytes = frame.ToArray();
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1 + ShareKey.ShareIdBytes), count);
            return bytes;
        }
        Start();
        foreach (var state in states)
            foreach (var entry in EncodeEntries(state))
            {
                if (frame.Length + entry.Length > MaxFrameBytes)
                {
                    yield return Finish();
                    Start();
                }
                frame.Write(entry);
                count++;
            }
        if (count > 0) yield return Finish();
    }

    private const int IndexHeaderBytes = 1 + ShareKey.ShareIdBytes + 4;
    private const byte DeletedFlag = 1, MoreFollowsFlag = 2;

    private static IEnumerable<byte[]> EncodeEntries(SyncFileState state)
    {
        var fixedBytes = EncodeEntry(state, 0, 0, more: false).Length;
        var perPiece = (MaxFrameBytes - IndexHeaderBytes - fixedBytes) / (4 + Blake3Hash.Size);
        if (perPiece <= 0)
            throw new DreamException(SyncErrors.LimitExceeded, DreamErrorKind.LimitExceeded, $"'{state.Path}' has a path or version too long to announce.");
        var first = 0;
        do
        {
            var take = Math.Min(perPiece, state.Chunks.Count - first);
            yield return EncodeEntry(state, first, take, more: first + take < state.Chunks.Count);
            first += take;
        }
        while (first < state.Chunks.Count);
    }

    private static byte[] EncodeEntry(SyncFileState state, int firstChunk, int chunkCount, bool more)
    {
        var path = Encoding.UTF8.GetBytes(state.Path);
        var version = Encoding.UTF8.GetBytes(state.Version.ToString());
        var bytes = new byte[2 + path.Length + 8 + 4 + 8 + 1 + 8 + 2 + version.Length + 4 + chunkCount * (4 + Blake3Hash.Size)];
        var span = bytes.AsSpan();
        var at = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)path.Length); at += 2;
        path.CopyTo(span[at..]); at += path.Length;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], state.Size); at += 8;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], state.Mode); at += 4;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], state.ModifiedUnixNs); at += 8;
        span[at++] = (byte)((state.Deleted ? DeletedFlag : 0) | (more ? MoreFollowsFlag : 0));
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], state.Sequence); at += 8;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)version.Length); at += 2;
        version.CopyTo(span[at..]); at += version.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], chunkCount); at += 4;
        foreach (var chunk in state.Chunks.Skip(firstChunk).Take(chunkCount))
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], chunk.Size); at += 4;
            Convert.FromHexString(chunk.Hash).CopyTo(span[at..]); at += Blake3Hash.Size;
        }
        return bytes;
    }

    /// <summary>One entry of an index frame: a whole state, or a piece of one when <paramref name="MoreFollows"/> (see <see cref="IndexAssembler"/>).</summary>
    public sealed record IndexPiece(SyncFileState State, bool MoreFollows);

    /// <summary>Decodes an index frame into pieces; sizes against chunk lists are checked when the pieces are joined.</summary>
    public static (byte[] ShareId, IReadOnlyList<IndexPiece> Pieces) DecodeIndex(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 1 + ShareKey.ShareIdBytes + 4 || frame[0] != IndexFrame || frame.Length > MaxFrameBytes + 64) throw Bad("an index frame has a bad header or size");
        var shareId = frame.Slice(1, ShareKey.ShareIdBytes).ToArray();
        var count = BinaryPrimitives.ReadInt32LittleEndian(frame[(1 + ShareKey.ShareIdBytes)..]);
        var at = 1 + ShareKey.ShareIdBytes + 4;
        if (count < 0 || count > frame.Length) throw Bad("an index frame claims too many entries");
        var states = new List<IndexPiece>(count);
        for (var i = 0; i < count; i++)
        {
            var pathLength = U16(frame, ref at);
            var path = Encoding.UTF8.GetString(Take(frame, ref at, pathLength));
            var size = I64(frame, ref at);
            var mode = I32(frame, ref at);
            var mtime = I64(frame, ref at);
            var flags = Take(frame, ref at, 1)[0];
            if ((flags & ~(DeletedFlag | MoreFollowsFlag)) != 0 || flags == (DeletedFlag | MoreFollowsFlag)) throw Bad("an entry has unknown flags");
            var (deleted, more) = ((flags & DeletedFlag) != 0, (flags & MoreFollowsFlag) != 0);
            var sequence = I64(frame, ref at);
            var version = VersionVector.Parse(Encoding.UTF8.GetString(Take(frame, ref at, U16(frame, ref at))));
            var chunkCount = I32(frame, ref at);
            if (chunkCount < 0 || (long)chunkCount * (4 + Blake3Hash.Size) > frame.Length - at) throw Bad("an entry claims more chunks than the frame holds");
            var chunks = new List<SyncChunk>(chunkCount);
            long offset = 0;
            for (var c = 0; c < chunkCount; c++)
            {
                var chunkSize = I32(frame, ref at);
                if (chunkSize is <= 0 or > 1 << 20) throw Bad("a chunk size is out of range");
                chunks.Add(new SyncChunk(offset, chunkSize, Convert.ToHexStringLower(Take(frame, ref at, Blake3Hash.Size))));
                offset += chunkSize;
            }
            if (size < 0 || offset > size || (deleted && chunkCount != 0)) throw Bad($"the entry for '{path}' has a size that does not match its chunks");
            states.Add(new IndexPiece(new SyncFileState(path, size, mode, mtime, deleted, version, chunks, sequence), more));
        }
        if (at != frame.Length) throw Bad("an index frame has trailing bytes");
        return (shareId, states);
    }

    /// <summary>A requested chunk as pieces that each fit a frame: share id, request id, offset, then bytes.</summary>
    public static IEnumerable<byte[]> EncodeChunk(byte[] shareId, int requestId, byte[] chunk, byte kind = ChunkFrame)
    {
        var piece = MaxFrameBytes - ChunkHeaderBytes;
        for (var offset = 0; offset < chunk.Length || (offset == 0 && chunk.Length == 0); offset += piece)
        {
            var length = Math.Min(piece, chunk.Length - offset);
            var frame = new byte[ChunkHeaderBytes + length];
            frame[0] = kind;
            shareId.CopyTo(frame, 1);
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1 + ShareKey.ShareIdBytes), requestId);
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1 + ShareKey.ShareIdBytes + 4), offset);
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1 + ShareKey.ShareIdBytes + 8), chunk.Length);
            chunk.AsSpan(offset, length).CopyTo(frame.AsSpan(ChunkHeaderBytes));
            yield return frame;
            if (chunk.Length == 0) yield break;
        }
    }

    /// <summary>One piece of a chunk answer: <paramref name="Bytes"/> go at <paramref name="Offset"/> of a chunk of <paramref name="Total"/> bytes.</summary>
    public readonly record struct ChunkPiece(int RequestId, int Offset, int Total, ReadOnlyMemory<byte> Bytes);

    private const int ChunksHeaderBytes = 1 + ShareKey.ShareIdBytes + 2, PieceHeaderBytes = 16;

    /// <summary>
    /// Packs the answers to many chunk requests into 0x52 frames (share id, piece count u16, then per piece: request id,
    /// offset, total, length, bytes), splitting a chunk across frames where it does not fit: small chunks share a frame,
    /// so a batch of requests costs a few frames, not one each.
    /// </summary>
    public sealed class ChunksPacker(byte[] shareId)
    {
        private readonly MemoryStream _frame = new();
        private int _count;

        /// <summary>Adds one chunk; returns the frames that filled up meanwhile.</summary>
        public List<byte[]> Add(int requestId, byte[] chunk)
        {
            var full = new List<byte[]>();
            var offset = 0;
            do
            {
                if (_count == 0) Start();
                var room = MaxFrameBytes - (int)_frame.Length - PieceHeaderBytes;
                if (room < 256 && _count > 0) { full.Add(Finish()); continue; }
                var length = Math.Min(room, chunk.Length - offset);
                Span<byte> header = stackalloc byte[PieceHeaderBytes];
                BinaryPrimitives.WriteInt32LittleEndian(header, requestId);
                BinaryPrimitives.WriteInt32LittleEndian(header[4..], offset);
                BinaryPrimitives.WriteInt32LittleEndian(header[8..], chunk.Length);
                BinaryPrimitives.WriteInt32LittleEndian(header[12..], length);
                _frame.Write(header);
                _frame.Write(chunk, offset, length);
                _count++;
                offset += length;
                if (_count == ushort.MaxValue) full.Add(Finish());
            }
            while (offset < chunk.Length);
            return full;
        }

        /// <summary>The last, partly filled frame; null when nothing is left.</summary>
        public byte[]? Flush() => _count > 0 ? Finish() : null;

        private void Start()
        {
            _frame.SetLength(0);
            _frame.WriteByte(ChunksFrame);
            _frame.Write(shareId);
            _frame.Write(stackalloc byte[2]);
        }

        private byte[] Finish()
        {
            var bytes = _frame.ToArray();
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(1 + ShareKey.ShareIdBytes), (ushort)_count);
            _count = 0;
            return bytes;
        }
    }

    public static (byte[] ShareId, IReadOnlyList<ChunkPiece> Pieces) DecodeChunks(ReadOnlyMemory<byte> frame)
    {
        var span = frame.Span;
        if (span.Length < ChunksHeaderBytes || span[0] != ChunksFrame || span.Length > MaxFrameBytes + 64) throw Bad("a chunks frame has a bad header or size");
        var shareId = span.Slice(1, ShareKey.ShareIdBytes).ToArray();
        var count = BinaryPrimitives.ReadUInt16LittleEndian(span[(1 + ShareKey.ShareIdBytes)..]);
        var pieces = new List<ChunkPiece>(count);
        var at = ChunksHeaderBytes;
        for (var i = 0; i < count; i++)
        {
            if (span.Length - at < PieceHeaderBytes) throw Bad("a chunks frame is cut short");
            var requestId = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
            var offset = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 4)..]);
            var total = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 8)..]);
            var length = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 12)..]);
            at += PieceHeaderBytes;
            if (length < 0 || length > span.Length - at) throw Bad("a chunks frame is cut short");
            if (total is < 0 or > 1 << 20 || offset < 0 || offset > total - length) throw Bad("a chunk piece's offsets are out of range");
            pieces.Add(new ChunkPiece(requestId, offset, total, frame.Slice(at, length)));
            at += length;
        }
        if (at != span.Length) throw Bad("a chunks frame has trailing bytes");
        return (shareId, pieces);
    }

    public static (byte[] ShareId, int RequestId, int Offset, int Total, ReadOnlyMemory<byte> Bytes) DecodeChunk(ReadOnlyMemory<byte> frame)
    {
        var span = frame.Span;
        if (span.Length < ChunkHeaderBytes) throw Bad("a chunk frame has a bad header");
        var shareId = span.Slice(1, ShareKey.ShareIdBytes).ToArray();
        var requestId = BinaryPrimitives.ReadInt32LittleEndian(span[(1 + ShareKey.ShareIdBytes)..]);
        var offset = BinaryPrimitives.ReadInt32LittleEndian(span[(1 + ShareKey.ShareIdBytes + 4)..]);
        var total = BinaryPrimitives.ReadInt32LittleEndian(span[(1 + ShareKey.ShareIdBytes + 8)..]);
        var bytes = frame[ChunkHeaderBytes..];
        if (total is < 0 or > SignalManifest.MaxBytes || offset < 0 || offset + bytes.Length > total) throw Bad("a chunk frame's offsets are out of range");
        return (shareId, requestId, offset, total, bytes);
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> frame, ref int at, int length)
    {
        if (length < 0 || at + length > frame.Length) throw Bad("an index frame is cut short");
        var slice = frame.Slice(at, length);
        at += length;
        return slice;
    }

    private static int U16(ReadOnlySpan<byte> f, ref int at) => BinaryPrimitives.ReadUInt16LittleEndian(Take(f, ref at, 2));
    private static int I32(ReadOnlySpan<byte> f, ref int at) => BinaryPrimitives.ReadInt32LittleEndian(Take(f, ref at, 4));
    private static long I64(ReadOnlySpan<byte> f, ref int at) => BinaryPrimitives.ReadInt64LittleEndian(Take(f, ref at, 8));

    private static DreamException Bad(string why) => new(Node.TesseractErrors.ProtocolViolation, DreamErrorKind.InvalidData, $"Portal frame refused: {why}.");
}
