using System.Collections.Concurrent;
using Blake3;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Dreamwell.Formats;

/// <summary>One chunk of a .qport: where its zstd frame lies in the file and the hashes that vouch for it.</summary>
public sealed record QPortChunk(int Index, long ContentOffset, long FrameOffset, int FrameSize, int RawSize, string RawHash, string FrameHash)
{
    internal byte[] RawHashBytes { get; init; } = [];
    internal byte[] FrameHashBytes { get; init; } = [];
}

/// <summary>
/// QPRT: a file cut into fixed-size chunks, each an independent standard zstd frame with its own BLAKE3 hashes,
/// frames back to back after the header so <c>tail -c +N | zstd -d</c> yields the file. Layout in docs/formats.md.
/// </summary>
internal static class QPortFormat
{
    public const ushort Version = 1;
    public const int DefaultChunkSize = 4 << 20;
    public const int MinChunkSize = 64 << 10;
    public const int MaxChunkSize = 16 << 20;
    public const int ChunkEntrySize = 4 + 4 + 32 + 32;

    internal sealed record Header(int Level, int ChunkSize, long ContentSize, FileFacts Facts, byte[] ContentHash, string Name, QPortChunk[] Chunks)
    {
        public long PayloadSize => Chunks.Length == 0 ? 0 : Chunks[^1].FrameOffset + Chunks[^1].FrameSize - Chunks[0].FrameOffset;
    }

    /// <summary>The zstd worst case for one chunk (ZSTD_compressBound) — a frame larger than this is forged.</summary>
    internal static int FrameBound(int rawSize) => rawSize + (rawSize >> 8) + (rawSize < (128 << 10) ? ((128 << 10) - rawSize) >> 11 : 0) + 64;

    internal static int ChunkCount(long contentSize, int chunkSize) => (int)Math.Max(1, (contentSize + chunkSize - 1) / chunkSize);

    private static byte[] Body(Header h)
    {
        var b = new HeaderBuilder();
        b.I32(h.Level);
        b.U32((uint)h.ChunkSize);
        b.U64((ulong)h.ContentSize);
        b.U32((uint)h.Facts.Mode);
        b.I64(h.Facts.ModifiedNs);
        b.Bytes(h.ContentHash);
        b.Text(h.Name);
        b.U32((uint)h.Chunks.Length);
        foreach (var c in h.Chunks)
        {
            b.U32((uint)c.FrameSize);
            b.U32((uint)c.RawSize);
            b.Bytes(c.RawHashBytes);
            b.Bytes(c.FrameHashBytes);
        }
        return b.ToArray();
    }

    internal static Header Parse(SealedHeader sealedHeader)
    {
        var r = new HeaderReader(sealedHeader.Body, Envelope.PreambleSize);
        var level = r.I32();
        var chunkSizeAt = r.Offset;
        var chunkSize = (int)Math.Min(r.U32(), int.MaxValue);
        if (chunkSize < MinChunkSize || chunkSize > MaxChunkSize || (chunkSize & (chunkSize - 1)) != 0)
            throw new DreamFormatException("LimitExceeded", $"Chunk size {chunkSize} is not a power of two in {MinChunkSize}..{MaxChunkSize}.", chunkSizeAt);
        var contentSize = r.Size(FormatLimits.MaxContentBytes, "Content size");
        var mode = (int)r.U32();
        var mtime = r.I64();
        var contentHash = r.Hash();
        var nameAt = r.Offset;
        var name = r.Text(FormatLimits.MaxSegmentBytes, "File name");
        StoredPath.CheckStored(name, singleSegment: true, nameAt);
        if ((mode & ~FileFacts.ModeMask) != 0)
            throw new DreamFormatException("BadHeader", $"Mode {mode:x} has bits other than permissions.", nameAt);
        var countAt = r.Offset;
        var count = (int)Math.Min(r.U32(), int.MaxValue);
        if (count != ChunkCount(contentSize, chunkSize) || (long)count * ChunkEntrySize != r.Remaining)
            throw new DreamFormatException("BadHeader", $"Chunk count {count} does not fit content size {contentSize} and chunk size {chunkSize}.", countAt);
        var chunks = new QPortChunk[count];
        var frameOffset = sealedHeader.PayloadOffset;
        for (var i = 0; i < count; i++)
        {
            var entryAt = r.Offset;
            var frameSize = r.U32();
            var rawSize = r.U32();
            var expectedRaw = i < count - 1 ? chunkSize : contentSize - (long)(count - 1) * chunkSize;
            if (rawSize != expectedRaw || frameSize == 0 || frameSize > FrameBound((int)rawSize))
                throw new DreamFormatException("BadHeader", $"Chunk {i} declares {frameSize} compressed / {rawSize} raw bytes.", entryAt);
            var rawHash = r.Hash();
            var frameHash = r.Hash();
            chunks[i] = new QPortChunk(i, (long)i * chunkSize, frameOffset, (int)frameSize, (int)rawSize, Blake3Hash.ToHex(rawHash), Blake3Hash.ToHex(frameHash))
            { RawHashBytes = rawHash, FrameHashBytes = frameHash };
            frameOffset += frameSize;
        }
        r.End();
        return new Header(level, chunkSize, contentSize, new FileFacts(mode, mtime), contentHash, name, chunks);
    }

    public static PackResult Pack(string sourcePath, string destinationPath, PackOptions options, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct)
    {
        var source = Destination.SourceFile(sourcePath);
        StoredPath.CheckPacking(source.Name, singleSegment: true);
        var level = ZstdSettings.Level(options, ZstdSettings.DefaultLevel);
        var threads = ZstdSettings.Threads(options);
        var chunkSize = options.ChunkSize ?? DefaultChunkSize;
        if (chunkSize < MinChunkSize || chunkSize > MaxChunkSize || (chunkSize & (chunkSize - 1)) != 0)
            throw new DreamException("InvalidChunkSize", DreamErrorKind.InvalidArgument, $"Chunk size must be a power of two in {MinChunkSize}..{MaxChunkSize}.");
        var facts = FileFacts.Of(source, isFolder: false);
        var size = source.Length;
        var count = ChunkCount(size, chunkSize);
        var chunks = new QPortChunk[count];
        var placeholder = Body(new Header(level, chunkSize, size, facts, new byte[32], source.Name,
            Enumerable.Range(0, count).Select(i => new QPortChunk(i, 0, 0, 0, 0, "", "") { RawHashBytes = new byte[32], FrameHashBytes = new byte[32] }).ToArray()));
        Destination.ForContainer(destinationPath, overwrite);

        byte[] contentHash = [], containerHash = [];
        long containerBytes = 0;
        var pool = new ConcurrentBag<ChunkBuffers>();
        using var compressors = new ThreadLocal<Compressor>(() => NewChunkCompressor(level), trackAllValues: true);
        try
        {
            AtomicFile.Write(destinationPath, stream =>
            {
                var payloadOffset = Envelope.PayloadOffset(placeholder.Length);
                stream.Write(Envelope.Placeholder(placeholder.Length));
                using var input = new FileStream(source.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
                using var contentHasher = Hasher.New();
                var frameOffset = payloadOffset;
                // Workers read, hash and compress chunks in any order; this thread writes them in order, so all
                // cores compress all the time and at most 2 × threads chunks are in memory.
                OrderedPipeline.Run(count, threads, threads * 2,
                    index =>
                    {
                        var buffers = pool.TryTake(out var pooled) ? pooled : new ChunkBuffers(new byte[chunkSize], new byte[FrameBound(chunkSize)]);
                        var want = (int)Math.Min(chunkSize, size - (long)index * chunkSize);
                        var raw = buffers.Raw.AsSpan(0, want);
                        if (FileRead.Fill(input.SafeFileHandle, raw, (long)index * chunkSize) < want) throw Destination.SourceChanged(source.FullName);
                        var frameLength = compressors.Value!.Wrap(raw, buffers.Frame);
                        return new CompressedChunk(buffers, want, frameLength, Blake3Hash.Compute(raw), Blake3Hash.Compute(buffers.Frame.AsSpan(0, frameLength)));
                    },
                    (index, c) =>
                    {
                        contentHasher.Update(c.Buffers.Raw.AsSpan(0, c.RawSize));
                        stream.Write(c.Buffers.Frame, 0, c.FrameSize);
                        chunks[index] = new QPortChunk(index, (long)index * chunkSize, frameOffset, c.FrameSize, c.RawSize, "", "")
                        { RawHashBytes = c.RawHash, FrameHashBytes = c.FrameHash };
                        frameOffset += c.FrameSize;
                        pool.Add(c.Buffers);
                        progress?.Report(new DreamProgress("Packing", source.Name, (long)index * chunkSize + c.RawSize, size));
                    },
                    ct);
                if (RandomAccess.GetLength(input.SafeFileHandle) != size) throw Destination.SourceChanged(source.FullName);
                contentHash = new byte[32];
                contentHasher.Finalize(contentHash);
                var header = Envelope.Seal(DreamFormat.QPort, Version, Body(new Header(level, chunkSize, size, facts, contentHash, source.Name, chunks)));
                (containerHash, containerBytes) = Envelope.WriteHeaderAndHash(stream, header, ct);
            }, overwrite);
        }
        finally
        {
            foreach (var compressor in compressors.Values) compressor.Dispose();
        }
        return new PackResult(DreamFormat.QPort, Path.GetFullPath(destinationPath), Blake3Hash.ToHex(contentHash), Blake3Hash.ToHex(containerHash), size, containerBytes, 0);
    }

    private sealed record ChunkBuffers(byte[] Raw, byte[] Frame);

    private sealed record CompressedChunk(ChunkBuffers Buffers, int RawSize, int FrameSize, byte[] RawHash, byte[] FrameHash);

    /// <summary>Each chunk is compressed alone (no multi-threading inside zstd) so its frame never depends on its neighbours.</summary>
    private static Compressor NewChunkCompressor(int level)
    {
        var compressor = new Compressor(level);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 0);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_contentSizeFlag, 1);
        return compressor;
    }

    /// <summary>Verifies a frame against its chunk entry and decodes it into <paramref name="raw"/> (exactly RawSize bytes).</summary>
    internal static void DecodeChunk(QPortChunk chunk, ReadOnlySpan<byte> frame, Span<byte> raw, Decompressor decompressor)
    {
        if (frame.Length != chunk.FrameSize)
            throw new DreamFormatException("Truncated", $"Chunk {chunk.Index} frame is {frame.Length} bytes, expected {chunk.FrameSize}.", chunk.FrameOffset);
        if (!Blake3Hash.Compute(frame).AsSpan().SequenceEqual(chunk.FrameHashBytes))
            throw new DreamFormatException("ChunkHashMismatch", $"Chunk {chunk.Index}: the compressed frame's BLAKE3 hash does not match.", chunk.FrameOffset);
        int written;
        try
        {
            written = decompressor.Unwrap(frame, raw[..chunk.RawSize]);
        }
        catch (ZstdException e)
        {
            throw new DreamFormatException("CorruptPayload", $"Chunk {chunk.Index}: the frame hash matches but the frame does not decode to {chunk.RawSize} bytes.", chunk.FrameOffset, e);
        }
        if (written != chunk.RawSize)
            throw new DreamFormatException("CorruptPayload", $"Chunk {chunk.Index} decoded to {written} bytes, expected {chunk.RawSize}.", chunk.FrameOffset);
        if (!Blake3Hash.Compute(raw[..chunk.RawSize]).AsSpan().SequenceEqual(chunk.RawHashBytes))
            throw new DreamFormatException("ChunkHashMismatch", $"Chunk {chunk.Index}: the decoded bytes' BLAKE3 hash does not match.", chunk.FrameOffset);
    }

    internal static Decompressor NewDecompressor()
    {
        var decompressor = new Decompressor();
        decompressor.SetParameter(ZSTD_dParameter.ZSTD_d_windowLogMax, FormatLimits.MaxWindowLog);
        return decompressor;
    }

    public static OpenResult Open(string containerPath, string? destination, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct)
    {
        using var reader = QPortReader.Open(containerPath);
        var header = reader.Header;
        var threads = Environment.ProcessorCount;
        var verifications = 1;
        using var containerHasher = Hasher.New();
        containerHasher.Update(reader.SealedHeaderBytes);
        var pool = new ConcurrentBag<ChunkBuffers>();
        using var decompressors = new ThreadLocal<Decompressor>(NewDecompressor, trackAllValues: true);

        void Decode(Stream sink)
        {
            using var contentHasher = Hasher.New();
            var chunks = header.Chunks;
            OrderedPipeline.Run(chunks.Length, threads, threads * 2,
                index =>
                {
                    var chunk = chunks[index];
                    var buffers = pool.TryTake(out var pooled) ? pooled : new ChunkBuffers(new byte[header.ChunkSize], new byte[FrameBound(header.ChunkSize)]);
                    reader.ReadFrame(chunk, buffers.Frame);
                    DecodeChunk(chunk, buffers.Frame.AsSpan(0, chunk.FrameSize), buffers.Raw, decompressors.Value!);
                    return buffers;
                },
                (index, buffers) =>
                {
                    var chunk = chunks[index];
                    // Verify reports no container hash, so only Open pays for it.
                    if (destination is not null) containerHasher.Update(buffers.Frame.AsSpan(0, chunk.FrameSize));
                    contentHasher.Update(buffers.Raw.AsSpan(0, chunk.RawSize));
                    sink.Write(buffers.Raw, 0, chunk.RawSize);
                    pool.Add(buffers);
                    verifications += 2;
                    progress?.Report(new DreamProgress("Opening", header.Name, chunk.ContentOffset + chunk.RawSize, header.ContentSize));
                },
                ct);
            Containers.CheckContentHash(contentHasher, header.ContentHash, "ContentHashMismatch", reader.PayloadOffset);
            verifications++;
        }

        string outputPath = "";
        try
        {
            if (destination is null) Decode(Stream.Null);
            else
            {
                outputPath = Destination.ForFile(destination, header.Name, overwrite);
                AtomicFile.Write(outputPath, Decode, overwrite, (UnixFileMode)header.Facts.Mode);
                header.Facts.ApplyTo(outputPath, isFolder: false);
            }
        }
        finally
        {
            foreach (var decompressor in decompressors.Values) decompressor.Dispose();
        }
        var containerHash = new byte[32];
        containerHasher.Finalize(containerHash);
        return new OpenResult(DreamFormat.QPort, outputPath, Blake3Hash.ToHex(containerHash), Blake3Hash.ToHex(header.ContentHash), reader.ContainerBytes, header.ContentSize, verifications);
    }

    public static ContainerInfo Inspect(string containerPath)
    {
        using var reader = QPortReader.Open(containerPath);
        var h = reader.Header;
        var hash = Blake3Hash.ToHex(h.ContentHash);
        return new ContainerInfo(Path.GetFullPath(containerPath), DreamFormat.QPort, Version, reader.ContainerBytes, h.ContentSize, hash, 1, h.Chunks.Length, h.Level,
            [new ContainerEntry(h.Name, h.ContentSize, hash, h.Facts.Mode, h.Facts.Modified, false)]);
    }
}

/// <summary>
/// Random access to a verified .qport: the chunk table, and any single chunk read and verified by index —
/// what a resumable transfer needs (a receiver checks each chunk as it arrives and restarts at the first missing one).
/// </summary>
public sealed class QPortReader : IDisposable
{
    private readonly FileStream _file;

    private QPortReader(FileStream file, QPortFormat.Header header, byte[] sealedHeaderBytes, long payloadOffset)
    {
        _file = file;
        Header = header;
        SealedHeaderBytes = sealedHeaderBytes;
        PayloadOffset = payloadOffset;
    }

    internal QPortFormat.Header Header { get; }
    internal byte[] SealedHeaderBytes { get; }

    /// <summary>File offset of the first zstd frame: <c>tail -c +(PayloadOffset+1) f.qport | zstd -d</c> restores the file.</summary>
    public long PayloadOffset { get; }
    public long ContainerBytes => _file.Length;
    public long ContentSize => Header.ContentSize;
    public int ChunkSize => Header.ChunkSize;
    public int ChunkCount => Header.Chunks.Length;
    public string ContentHash => Blake3Hash.ToHex(Header.ContentHash);
    public string Name => Header.Name;
    public IReadOnlyList<QPortChunk> Chunks => Header.Chunks;

    /// <summary>Opens a container, verifying its header hash, limits and exact length (no payload is read).</summary>
    public static QPortReader Open(string path)
    {
        var file = Containers.OpenRead(path);
        try
        {
            var sealedHeader = Envelope.Open(file, DreamFormat.QPort, QPortFormat.Version);
            var header = QPortFormat.Parse(sealedHeader);
            Envelope.CheckLength(sealedHeader, header.PayloadSize);
            var bytes = new byte[sealedHeader.PayloadOffset];
            RandomAccess.Read(file.SafeFileHandle, bytes, 0);
            return new QPortReader(file, header, bytes, sealedHeader.PayloadOffset);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    internal void ReadFrame(QPortChunk chunk, byte[] buffer)
    {
        var read = RandomAccess.Read(_file.SafeFileHandle, buffer.AsSpan(0, chunk.FrameSize), chunk.FrameOffset);
        if (read != chunk.FrameSize)
            throw new DreamFormatException("Truncated", $"Chunk {chunk.Index} frame is cut short.", chunk.FrameOffset + read);
    }

    /// <summary>Reads chunk <paramref name="index"/>, checks its frame and content hashes, returns its bytes.</summary>
    public byte[] ReadChunk(int index)
    {
        if (index < 0 || index >= ChunkCount)
            throw new DreamException("ChunkOutOfRange", DreamErrorKind.InvalidArgument, $"Chunk {index} is outside 0..{ChunkCount - 1}.");
        var chunk = Header.Chunks[index];
        var frame = new byte[chunk.FrameSize];
        ReadFrame(chunk, frame);
        return DecodeChunk(chunk, frame);
    }

    /// <summary>Verifies and decodes a frame received from elsewhere against this container's chunk table.</summary>
    public static byte[] DecodeChunk(QPortChunk chunk, ReadOnlySpan<byte> frame)
    {
        var raw = new byte[chunk.RawSize];
        using var decompressor = QPortFormat.NewDecompressor();
        QPortFormat.DecodeChunk(chunk, frame, raw, decompressor);
        return raw;
    }

    public void Dispose() => _file.Dispose();
}
