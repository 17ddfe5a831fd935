using Blake3;
using ZstdSharp;

namespace Dreamwell.Formats;

/// <summary>
/// QDLT: a target file as "copy base range" / "literal bytes" ops against a base identified by its BLAKE3 hash.
/// The writer chunks base and target with <see cref="FastCdc"/>; literal bytes form one zstd frame. Layout in docs/formats.md.
/// </summary>
internal static class DeltaFormat
{
    public const ushort Version = 1;
    private const byte CopyOp = 0;
    private const byte LiteralOp = 1;

    internal readonly record struct Op(bool IsCopy, long BaseOffset, long Length);

    private sealed record Header(int Level, long BaseSize, byte[] BaseHash, long TargetSize, byte[] TargetHash, string Name, FileFacts Facts,
        long LiteralSize, long PayloadSize, byte[] PayloadHash, List<Op> Ops);

    private static byte[] Body(Header h)
    {
        var b = new HeaderBuilder();
        b.I32(h.Level);
        b.U32(FastCdc.MinSize);
        b.U32(FastCdc.AverageSize);
        b.U32(FastCdc.MaxSize);
        b.U64((ulong)h.BaseSize);
        b.Bytes(h.BaseHash);
        b.U64((ulong)h.TargetSize);
        b.Bytes(h.TargetHash);
        b.Text(h.Name);
        b.U32((uint)h.Facts.Mode);
        b.I64(h.Facts.ModifiedNs);
        b.U64((ulong)h.LiteralSize);
        b.U64((ulong)h.PayloadSize);
        b.Bytes(h.PayloadHash);
        b.U32((uint)h.Ops.Count);
        foreach (var op in h.Ops)
        {
            b.U8(op.IsCopy ? CopyOp : LiteralOp);
            if (op.IsCopy) b.U64((ulong)op.BaseOffset);
            b.U64((ulong)op.Length);
        }
        return b.ToArray();
    }

    private static Header Parse(SealedHeader sealedHeader)
    {
        var r = new HeaderReader(sealedHeader.Body, Envelope.PreambleSize);
        var level = r.I32();
        r.U32(); r.U32(); r.U32(); // chunking parameters the writer used: informational
        var baseSize = r.Size(FormatLimits.MaxContentBytes, "Base size");
        var baseHash = r.Hash();
        var targetSize = r.Size(FormatLimits.MaxContentBytes, "Target size");
        var targetHash = r.Hash();
        var nameAt = r.Offset;
        var name = r.Text(FormatLimits.MaxSegmentBytes, "File name");
        StoredPath.CheckStored(name, singleSegment: true, nameAt);
        var mode = (int)r.U32();
        if ((mode & ~FileFacts.ModeMask) != 0)
            throw new DreamFormatException("BadHeader", $"Mode {mode:x} has bits other than permissions.", r.Offset - 4);
        var mtime = r.I64();
        var literalSizeAt = r.Offset;
        var literalSize = r.Size(FormatLimits.MaxContentBytes, "Literal size");
        var payloadSize = r.Size(FormatLimits.MaxContentBytes, "Payload size");
        FormatLimits.CheckRatio(literalSize, payloadSize, literalSizeAt);
        var payloadHash = r.Hash();
        var count = r.Count(FormatLimits.MaxDeltaOps, "Op count");
        var ops = new List<Op>(Math.Min(count, r.Remaining / 9 + 1));
        long produced = 0, literals = 0;
        for (var i = 0; i < count; i++)
        {
            var opAt = r.Offset;
            var kind = r.U8();
            if (kind > LiteralOp) throw new DreamFormatException("BadHeader", $"Op {i} has unknown kind {kind}.", opAt);
            var baseOffset = kind == CopyOp ? r.Size(FormatLimits.MaxContentBytes, "Copy offset") : 0;
            var length = r.Size(FormatLimits.MaxContentBytes, "Op length");
            if (length == 0 || (kind == CopyOp && baseOffset + length > baseSize) || produced + length > targetSize)
                throw new DreamFormatException("BadHeader", $"Op {i} ({(kind == CopyOp ? "copy" : "literal")} {baseOffset}+{length}) is out of range.", opAt);
            produced += length;
            if (kind == LiteralOp) literals += length;
            ops.Add(new Op(kind == CopyOp, baseOffset, length));
        }
        r.End();
        if (produced != targetSize || literals != literalSize)
            throw new DreamFormatException("BadHeader", "Ops do not add up to the declared target and literal sizes.", literalSizeAt);
        return new Header(level, baseSize, baseHash, targetSize, targetHash, name, new FileFacts(mode, mtime), literalSize, payloadSize, payloadHash, ops);
    }

    private readonly record struct ChunkKey(UInt128 High, UInt128 Low);

    private static ChunkKey KeyOf(ReadOnlySpan<byte> chunk)
    {
        Span<byte> hash = stackalloc byte[32];
        Hasher.Hash(chunk, hash);
        return new ChunkKey(System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash), System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash[16..]));
    }

    public static PackResult Create(string basePath, string targetPath, string destinationPath, PackOptions options, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct)
    {
        var baseFile = Destination.SourceFile(basePath);
        var target = Destination.SourceFile(targetPath);
        StoredPath.CheckPacking(target.Name, singleSegment: true);
        var level = ZstdSettings.Level(options, ZstdSettings.DefaultLevel);
        var threads = ZstdSettings.Threads(options);
        var facts = FileFacts.Of(target, isFolder: false);
        Destination.ForContainer(destinationPath, overwrite);

        // Pass 1: index the base's chunks (first occurrence wins, so the op list is deterministic).
        var index = new Dictionary<ChunkKey, long>();
        using var baseHasher = Hasher.New();
        long baseSize;
        using (var input = OpenSequential(baseFile.FullName))
        {
            baseSize = FastCdc.Split(input, (offset, chunk) =>
            {
                baseHasher.Update(chunk);
                index.TryAdd(KeyOf(chunk), offset | ((long)chunk.Length << 40));
            }, ct);
        }
        progress?.Report(new DreamProgress("Delta", "indexed base", 1, 3));

        // Pass 2: the target's chunks become copies (when the base has them) or literals, neighbours merged.
        var ops = new List<Op>();
        using var targetHasher = Hasher.New();
        long targetSize, literalSize = 0;
        using (var input = OpenSequential(target.FullName))
        {
            targetSize = FastCdc.Split(input, (offset, chunk) =>
            {
                targetHasher.Update(chunk);
                Op op = index.TryGetValue(KeyOf(chunk), out var packed)
                    ? new Op(true, packed & ((1L << 40) - 1), chunk.Length)
                    : new Op(false, 0, chunk.Length);
                if (!op.IsCopy) literalSize += op.Length;
                if (ops.Count > 0 && ops[^1] is var last && last.IsCopy == op.IsCopy && (!op.IsCopy || last.BaseOffset + last.Length == op.BaseOffset))
                    ops[^1] = last with { Length = last.Length + op.Length };
                else ops.Add(op);
            }, ct);
        }
        if (ops.Count > FormatLimits.MaxDeltaOps)
            throw new DreamException("LimitExceeded", DreamErrorKind.LimitExceeded, $"The delta needs {ops.Count} ops; the limit is {FormatLimits.MaxDeltaOps}.");
        if (baseSize >= 1L << 40)
            throw new DreamException("LimitExceeded", DreamErrorKind.LimitExceeded, "Delta bases are limited to 1 TiB.");
        var baseHash = new byte[32];
        baseHasher.Finalize(baseHash);
        var targetHash = new byte[32];
        targetHasher.Finalize(targetHash);
        progress?.Report(new DreamProgress("Delta", "matched target", 2, 3));

        // Pass 3: write the header placeholder, the literal bytes as one zstd frame, then seal the header.
        Header Make(long payloadSize, byte[] payloadHash) =>
            new(level, baseSize, baseHash, targetSize, targetHash, target.Name, facts, literalSize, payloadSize, payloadHash, ops);
        var placeholderLength = Body(Make(0, new byte[32])).Length;
        byte[] containerHash = [];
        long containerBytes = 0;
        AtomicFile.Write(destinationPath, stream =>
        {
            stream.Write(Envelope.Placeholder(placeholderLength));
            var payload = new HashingWriteStream(stream);
            using (var input = new FileStream(target.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            using (var zstd = new CompressionStream(payload, level, 1 << 17, leaveOpen: true))
            {
                ZstdSettings.Configure((p, v) => zstd.SetParameter(p, v), level, threads, null);
                var buffer = new byte[1 << 20];
                long position = 0;
                foreach (var op in ops)
                {
                    if (!op.IsCopy)
                    {
                        for (long done = 0; done < op.Length;)
                        {
                            var n = (int)Math.Min(buffer.Length, op.Length - done);
                            if (RandomAccess.Read(input.SafeFileHandle, buffer.AsSpan(0, n), position + done) != n) throw Destination.SourceChanged(target.FullName);
                            zstd.Write(buffer, 0, n);
                            done += n;
                        }
                    }
                    position += op.Length;
                }
            }
            // The target is read twice (match, then literals); a change in between would make the header lie.
            target.Refresh();
            if (target.Length != targetSize || FileFacts.Of(target, isFolder: false) != facts) throw Destination.SourceChanged(target.FullName);
            var header = Envelope.Seal(DreamFormat.Delta, Version, Body(Make(payload.Written, payload.FinishHash())));
            if (header.Length != Envelope.PayloadOffset(placeholderLength)) throw new InvalidOperationException("Delta header changed size.");
            (containerHash, containerBytes) = Envelope.WriteHeaderAndHash(stream, header, ct);
        }, overwrite);
        progress?.Report(new DreamProgress("Delta", "written", 3, 3));
        return new PackResult(DreamFormat.Delta, Path.GetFullPath(destinationPath), Blake3Hash.ToHex(targetHash), Blake3Hash.ToHex(containerHash), targetSize, containerBytes, 0);
    }

    private static FileStream OpenSequential(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

    /// <summary>
    /// With <paramref name="basePath"/> and <paramref name="destination"/> null this is a verify: everything but the
    /// target hash (which needs the base) is checked.
    /// </summary>
    public static OpenResult Open(string containerPath, string? destination, string? basePath, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct)
    {
        using var file = Containers.OpenRead(containerPath);
        var whole = new HashingReadStream(file, file.Length);
        var sealedHeader = Envelope.Open(whole, DreamFormat.Delta, Version);
        var header = Parse(sealedHeader);
        Envelope.CheckLength(sealedHeader, header.PayloadSize);
        var verifications = 1;

        FileStream? baseStream = null;
        try
        {
            if (destination is not null)
            {
                if (basePath is null)
                    throw new DreamException("BaseRequired", DreamErrorKind.InvalidArgument, "Opening a delta needs the base file it was made against.");
                var baseFile = Destination.SourceFile(basePath);
                if (baseFile.Length != header.BaseSize)
                    throw BaseMismatch(baseFile.FullName, $"is {baseFile.Length} bytes, the delta's base was {header.BaseSize}");
                baseStream = new FileStream(baseFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                if (!Blake3Hash.ComputeStream(baseStream, ct).AsSpan().SequenceEqual(header.BaseHash))
                    throw BaseMismatch(baseFile.FullName, "has a different BLAKE3 hash than the delta's base");
                verifications++;
            }

            void Decode(Stream sink)
            {
                using var reader = new BoundedZstdReader(whole, sealedHeader.PayloadOffset, header.PayloadSize, header.PayloadHash, header.LiteralSize);
                using var hasher = Hasher.New();
                var buffer = new byte[1 << 20];
                long produced = 0;
                foreach (var op in header.Ops)
                {
                    ct.ThrowIfCancellationRequested();
                    produced += op.Length;
                    if (op.IsCopy && baseStream is null) continue; // verifying without the base: copies cannot be checked
                    for (long done = 0; done < op.Length;)
                    {
                        var span = buffer.AsSpan(0, (int)Math.Min(buffer.Length, op.Length - done));
                        if (op.IsCopy) ReadBase(baseStream!, span, op.BaseOffset + done);
                        else reader.ReadExactly(span);
                        hasher.Update(span);
                        sink.Write(span);
                        done += span.Length;
                    }
                    progress?.Report(new DreamProgress("Applying delta", header.Name, produced, header.TargetSize));
                }
                reader.Finish();
                verifications++;
                if (baseStream is not null)
                {
                    Containers.CheckContentHash(hasher, header.TargetHash, "ContentHashMismatch", sealedHeader.PayloadOffset);
                    verifications++;
                }
            }

            string outputPath = "";
            if (destination is null) Decode(Stream.Null);
            else
            {
                outputPath = Destination.ForFile(destination, header.Name, overwrite);
                AtomicFile.Write(outputPath, Decode, overwrite, (UnixFileMode)header.Facts.Mode);
                header.Facts.ApplyTo(outputPath, isFolder: false);
            }
            var containerHash = whole.DrainAndHash();
            return new OpenResult(DreamFormat.Delta, outputPath, Blake3Hash.ToHex(containerHash), Blake3Hash.ToHex(header.TargetHash), sealedHeader.ContainerLength, header.TargetSize, verifications);
        }
        finally
        {
            baseStream?.Dispose();
        }
    }

    private static void ReadBase(FileStream baseStream, Span<byte> span, long offset)
    {
        if (FileRead.Fill(baseStream.SafeFileHandle, span, offset) < span.Length) throw BaseMismatch(baseStream.Name, "changed while the delta was applied");
    }

    private static DreamException BaseMismatch(string path, string why) =>
        new("BaseMismatch", DreamErrorKind.InvalidArgument, $"'{path}' {why}: it is not the base this delta was made against.");

    public static ContainerInfo Inspect(string containerPath)
    {
        using var file = Containers.OpenRead(containerPath);
        var sealedHeader = Envelope.Open(file, DreamFormat.Delta, Version);
        var h = Parse(sealedHeader);
        var hash = Blake3Hash.ToHex(h.TargetHash);
        return new ContainerInfo(Path.GetFullPath(containerPath), DreamFormat.Delta, Version, sealedHeader.ContainerLength, h.TargetSize, hash, 1, h.Ops.Count, h.Level,
            [new ContainerEntry(h.Name, h.TargetSize, hash, h.Facts.Mode, h.Facts.Modified, false)]);
    }

    /// <summary>The BLAKE3 of the base a delta needs, read from its verified header.</summary>
    public static string BaseHash(string containerPath)
    {
        using var file = Containers.OpenRead(containerPath);
        return Blake3Hash.ToHex(Parse(Envelope.Open(file, DreamFormat.Delta, Version)).BaseHash);
    }
}
