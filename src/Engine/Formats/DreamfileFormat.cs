using Blake3;
using ZstdSharp;

namespace Dreamwell.Formats;

/// <summary>DRFL: one file, its metadata and one zstd frame. Layout in docs/formats.md.</summary>
internal static class DreamfileFormat
{
    public const ushort Version = 1;

    private sealed record Header(int Level, long ContentSize, long PayloadSize, FileFacts Facts, byte[] ContentHash, byte[] PayloadHash, string Name);

    private static byte[] Body(Header h)
    {
        var b = new HeaderBuilder();
        b.I32(h.Level);
        b.U64((ulong)h.ContentSize);
        b.U64((ulong)h.PayloadSize);
        b.U32((uint)h.Facts.Mode);
        b.I64(h.Facts.ModifiedNs);
        b.Bytes(h.ContentHash);
        b.Bytes(h.PayloadHash);
        b.Text(h.Name);
        return b.ToArray();
    }

    private static Header Parse(SealedHeader sealedHeader)
    {
        var r = new HeaderReader(sealedHeader.Body, Envelope.PreambleSize);
        var level = r.I32();
        var contentSize = r.Size(FormatLimits.MaxContentBytes, "Content size");
        var payloadSize = r.Size(FormatLimits.MaxContentBytes, "Payload size");
        var mode = (int)r.U32();
        var mtime = r.I64();
        var contentHash = r.Hash();
        var payloadHash = r.Hash();
        var nameAt = r.Offset;
        var name = r.Text(FormatLimits.MaxSegmentBytes, "File name");
        r.End();
        StoredPath.CheckStored(name, singleSegment: true, nameAt);
        if ((mode & ~FileFacts.ModeMask) != 0)
            throw new DreamFormatException("BadHeader", $"Mode {mode:x} has bits other than permissions.", Envelope.PreambleSize + 20);
        FormatLimits.CheckRatio(contentSize, payloadSize, Envelope.PreambleSize + 4);
        return new Header(level, contentSize, payloadSize, new FileFacts(mode, mtime), contentHash, payloadHash, name);
    }

    public static PackResult Pack(string sourcePath, string destinationPath, PackOptions options, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct)
    {
        var source = Destination.SourceFile(sourcePath);
        StoredPath.CheckPacking(source.Name, singleSegment: true);
        var level = ZstdSettings.Level(options, ZstdSettings.DefaultLevel);
        var threads = ZstdSettings.Threads(options);
        var facts = FileFacts.Of(source, isFolder: false);
        var size = source.Length;
        var placeholder = Body(new Header(level, 0, 0, facts, new byte[32], new byte[32], source.Name));
        Destination.ForContainer(destinationPath, overwrite);

        byte[] contentHash = [], containerHash = [];
        long containerBytes = 0;
        AtomicFile.Write(destinationPath, stream =>
        {
            stream.Write(Envelope.Placeholder(placeholder.Length));
            var payload = new HashingWriteStream(stream);
            using var contentHasher = Hasher.New();
            using (var input = new FileStream(source.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            using (var zstd = new CompressionStream(payload, level, 1 << 17, leaveOpen: true))
            {
                ZstdSettings.Configure((p, v) => zstd.SetParameter(p, v), level, threads, null);
                var buffer = new byte[1 << 20];
                long total = 0;
                int read;
                while ((read = input.Read(buffer)) > 0)
                {
                    ct.ThrowIfCancellationRequested();
                    if (total + read > size) throw Destination.SourceChanged(source.FullName);
                    contentHasher.UpdateWithJoin(buffer.AsSpan(0, read));
                    zstd.Write(buffer, 0, read);
                    total += read;
                    progress?.Report(new DreamProgress("Packing", source.Name, total, size));
                }
                if (total != size) throw Destination.SourceChanged(source.FullName);
            }
            contentHash = new byte[32];
            contentHasher.Finalize(contentHash);
            var header = Envelope.Seal(DreamFormat.Dreamfile, Version,
                Body(new Header(level, size, payload.Written, facts, contentHash, payload.FinishHash(), source.Name)));
            (containerHash, containerBytes) = Envelope.WriteHeaderAndHash(stream, header, ct);
        }, overwrite);
        return new PackResult(DreamFormat.Dreamfile, Path.GetFullPath(destinationPath), Blake3Hash.ToHex(contentHash), Blake3Hash.ToHex(containerHash), size, containerBytes, 0);
    }

    /// <summary>Decodes and verifies; with <paramref name="destination"/> null nothing is written (verify only).</summary>
    public static OpenResult Open(string containerPath, string? destination, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct)
    {
        using var file = Containers.OpenRead(containerPath);
        var whole = new HashingReadStream(file, file.Length);
        var sealedHeader = Envelope.Open(whole, DreamFormat.Dreamfile, Version);
        var header = Parse(sealedHeader);
        Envelope.CheckLength(sealedHeader, header.PayloadSize);
        var verifications = 1;

        void Decode(Stream sink)
        {
            using var reader = new BoundedZstdReader(whole, sealedHeader.PayloadOffset, header.PayloadSize, header.PayloadHash, header.ContentSize);
            using var hasher = Hasher.New();
            var buffer = new byte[1 << 20];
            for (long done = 0; done < header.ContentSize;)
            {
                ct.ThrowIfCancellationRequested();
                var n = (int)Math.Min(buffer.Length, header.ContentSize - done);
                reader.ReadExactly(buffer.AsSpan(0, n));
                hasher.UpdateWithJoin(buffer.AsSpan(0, n));
                sink.Write(buffer, 0, n);
                done += n;
                progress?.Report(new DreamProgress("Opening", header.Name, done, header.ContentSize));
            }
            reader.Finish();
            verifications++;
            Containers.CheckContentHash(hasher, header.ContentHash, "ContentHashMismatch", sealedHeader.PayloadOffset);
            verifications++;
        }

        string outputPath;
        if (destination is null)
        {
            Decode(Stream.Null);
            outputPath = "";
        }
        else
        {
            outputPath = Destination.ForFile(destination, header.Name, overwrite);
            AtomicFile.Write(outputPath, Decode, overwrite, (UnixFileMode)(header.Facts.Mode & FileFacts.ModeMask));
            header.Facts.ApplyTo(outputPath, isFolder: false);
        }
        var containerHash = whole.DrainAndHash();
        return new OpenResult(DreamFormat.Dreamfile, outputPath, Blake3Hash.ToHex(containerHash), Blake3Hash.ToHex(header.ContentHash), sealedHeader.ContainerLength, header.ContentSize, verifications);
    }

    public static ContainerInfo Inspect(string containerPath)
    {
        using var file = Containers.OpenRead(containerPath);
        var sealedHeader = Envelope.Open(file, DreamFormat.Dreamfile, Version);
        var h = Parse(sealedHeader);
        var hash = Blake3Hash.ToHex(h.ContentHash);
        return new ContainerInfo(Path.GetFullPath(containerPath), DreamFormat.Dreamfile, Version, sealedHeader.ContainerLength, h.ContentSize, hash, 1, 1, h.Level,
            [new ContainerEntry(h.Name, h.ContentSize, hash, h.Facts.Mode, h.Facts.Modified, false)]);
    }
}
