using System.Text;
using Blake3;
using ZstdSharp;

namespace Dreamwell.Formats;

/// <summary>
/// FRCL: files, folders and in-tree symlinks for long-term storage. Identical contents are stored once (by BLAKE3)
/// and all distinct contents form one solid zstd frame at a high level with long-distance matching.
/// Layout and the canonical tree hash in docs/formats.md.
/// </summary>
internal static class FractalFormat
{
    public const ushort Version = 1;
    public const int MaxWindowLog = FormatLimits.MaxWindowLog;
    private const byte FolderKind = 0, FileKind = 1, LinkKind = 2;

    internal sealed record Entry(byte Kind, string Path, byte[] PathBytes, FileFacts Facts, int Blob, string? Target);

    internal sealed record Blob(long Size, byte[] Hash);

    private sealed record Header(int Level, int WindowLog, long SolidSize, long PayloadSize, byte[] PayloadHash, byte[] TreeHash, List<Blob> Blobs, List<Entry> Entries);

    private static byte[] Body(Header h)
    {
        var b = new HeaderBuilder();
        b.I32(h.Level);
        b.U32((uint)h.WindowLog);
        b.U32((uint)h.Entries.Count);
        b.U32((uint)h.Blobs.Count);
        b.U64((ulong)h.SolidSize);
        b.U64((ulong)h.PayloadSize);
        b.Bytes(h.PayloadHash);
        b.Bytes(h.TreeHash);
        foreach (var blob in h.Blobs)
        {
            b.U64((ulong)blob.Size);
            b.Bytes(blob.Hash);
        }
        foreach (var e in h.Entries)
        {
            b.U8(e.Kind);
            b.Text(e.Path);
            b.U32((uint)e.Facts.Mode);
            b.I64(e.Facts.ModifiedNs);
            if (e.Kind == FileKind) b.U32((uint)e.Blob);
            if (e.Kind == LinkKind) b.Text(e.Target!);
        }
        return b.ToArray();
    }

    /// <summary>
    /// The archive's content hash: BLAKE3 over, per entry in stored order, kind letter ('d','f','l'), UTF-8 path, 0x00,
    /// then for a file its 32-byte content hash, for a link its UTF-8 target and 0x00. Modes and mtimes are not content.
    /// </summary>
    internal static byte[] TreeHash(IEnumerable<Entry> entries, IReadOnlyList<Blob> blobs)
    {
        using var hasher = Hasher.New();
        foreach (var e in entries)
        {
            hasher.Update(e.Kind switch { FolderKind => "d"u8, FileKind => "f"u8, _ => "l"u8 });
            hasher.Update(e.PathBytes);
            hasher.Update([0]);
            if (e.Kind == FileKind) hasher.Update(blobs[e.Blob].Hash);
            if (e.Kind == LinkKind)
            {
                hasher.Update(Encoding.UTF8.GetBytes(e.Target!));
                hasher.Update([0]);
            }
        }
        var hash = new byte[32];
        hasher.Finalize(hash);
        return hash;
    }

    private static Header Parse(SealedHeader sealedHeader)
    {
        var r = new HeaderReader(sealedHeader.Body, Envelope.PreambleSize);
        var level = r.I32();
        var windowLogAt = r.Offset;
        var windowLog = (int)Math.Min(r.U32(), 64);
        if (windowLog is < 10 or > MaxWindowLog)
            throw new DreamFormatException("LimitExceeded", $"Window log {windowLog} is outside 10..{MaxWindowLog}.", windowLogAt);
        var entryCount = r.Count(FormatLimits.MaxEntries, "Entry count");
        var blobCount = r.Count(FormatLimits.MaxEntries, "Blob count");
        var solidAt = r.Offset;
        var solidSize = r.Size(FormatLimits.MaxContentBytes, "Solid size");
        var payloadSize = r.Size(FormatLimits.MaxContentBytes, "Payload size");
        FormatLimits.CheckRatio(solidSize, payloadSize, solidAt);
        var payloadHash = r.Hash();
        var treeHash = r.Hash();
        if ((long)blobCount * 40 > r.Remaining)
            throw new DreamFormatException("Truncated", "Blob table is cut short.", r.Offset);
        var blobs = new List<Blob>(blobCount);
        long sum = 0;
        for (var i = 0; i < blobCount; i++)
        {
            var size = r.Size(FormatLimits.MaxContentBytes, "Blob size");
            sum += size;
            if (sum > solidSize) throw new DreamFormatException("BadHeader", "Blob sizes exceed the solid size.", r.Offset - 8);
            blobs.Add(new Blob(size, r.Hash()));
        }
        if (sum != solidSize) throw new DreamFormatException("BadHeader", "Blob sizes do not add up to the solid size.", solidAt);
        var entries = new List<Entry>(Math.Min(entryCount, r.Remaining / 15 + 1));
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var referenced = new bool[blobCount];
        byte[]? previous = null;
        for (var i = 0; i < entryCount; i++)
        {
            var entryAt = r.Offset;
            var kind = r.U8();
            if (kind > LinkKind) throw new DreamFormatException("BadHeader", $"Entry {i} has unknown kind {kind}.", entryAt);
            var path = r.Text(FormatLimits.MaxPathBytes, "Entry path");
            StoredPath.CheckStored(path, singleSegment: false, entryAt + 1);
            var pathBytes = Encoding.UTF8.GetBytes(path);
            if (previous is not null && previous.AsSpan().SequenceCompareTo(pathBytes) >= 0)
                throw new DreamFormatException("BadHeader", $"Entry '{path}' is a duplicate or out of order.", entryAt);
            previous = pathBytes;
            var slash = path.LastIndexOf('/');
            if (slash >= 0 && !folders.Contains(path[..slash]))
                throw new DreamFormatException("UnsafePath", $"Entry '{path}' is not inside a stored folder (its parent is missing, a file or a link).", entryAt);
            var mode = (int)r.U32();
            if ((mode & ~FileFacts.ModeMask) != 0)
                throw new DreamFormatException("BadHeader", $"Entry '{path}' mode {mode:x} has bits other than permissions.", entryAt);
            var facts = new FileFacts(mode, r.I64());
            var blob = -1;
            string? target = null;
            if (kind == FileKind)
            {
                var blobAt = r.Offset;
                blob = (int)Math.Min(r.U32(), int.MaxValue);
                if (blob >= blobCount) throw new DreamFormatException("BadHeader", $"Entry '{path}' refers to blob {blob} of {blobCount}.", blobAt);
                referenced[blob] = true;
            }
            else if (kind == LinkKind)
            {
                var targetAt = r.Offset;
                target = r.Text(FormatLimits.MaxPathBytes, "Link target");
                if (StoredPath.LinkProblem(path, target) is { } problem)
                    throw new DreamFormatException("UnsafePath", $"Link '{path}' refused: {problem}.", targetAt);
            }
            else folders.Add(path);
            entries.Add(new Entry(kind, path, pathBytes, facts, blob, target));
        }
        r.End();
        if (Array.IndexOf(referenced, false) is var unused and >= 0)
            throw new DreamFormatException("BadHeader", $"Blob {unused} is not used by any entry.", solidAt);
        return new Header(level, windowLog, solidSize, payloadSize, payloadHash, treeHash, blobs, entries);
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    /// <summary>Walks the source (never following links), hashing every file; returns entries in stored order.</summary>
    private static (List<Entry> Entries, List<Blob> Blobs, List<string> BlobSources) Scan(string sourcePath, CancellationToken ct)
    {
        var full = Path.GetFullPath(sourcePath);
        var found = new List<(string Rel, FileSystemInfo Info)>();
        if (File.Exists(full) && new FileInfo(full).LinkTarget is null) found.Add((Path.GetFileName(full), new FileInfo(full)));
        else if (Directory.Exists(full) && new DirectoryInfo(full).LinkTarget is null)
        {
            var pending = new Stack<(DirectoryInfo Folder, string Rel)>();
            pending.Push((new DirectoryInfo(full), ""));
            while (pending.Count > 0)
            {
                ct.ThrowIfCancellationRequested();
                var (folder, rel) = pending.Pop();
                foreach (var info in folder.EnumerateFileSystemInfos())
                {
                    var childRel = rel.Length == 0 ? info.Name : rel + "/" + info.Name;
                    found.Add((childRel, info));
                    if (info is DirectoryInfo dir && info.LinkTarget is null) pending.Push((dir, childRel));
                    if (found.Count > FormatLimits.MaxEntries)
                        throw new DreamException("LimitExceeded", DreamErrorKind.LimitExceeded, $"'{full}' holds more than {FormatLimits.MaxEntries} entries.");
                }
            }
        }
        else throw new DreamException("SourceNotFound", DreamErrorKind.NotFound, $"'{full}' is not a file or folder (links are only stored inside a folder).");

        var sorted = found.Select(f => (f.Rel, f.Info, Bytes: Encoding.UTF8.GetBytes(f.Rel)))
            .OrderBy(f => f.Bytes, ByteOrder.Instance).ToList();
        var entries = new List<Entry>(sorted.Count);
        var blobs = new List<Blob>();
        var blobSources = new List<string>();
        var blobByHash = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (rel, info, bytes) in sorted)
        {
            ct.ThrowIfCancellationRequested();
            StoredPath.CheckPacking(rel, singleSegment: false);
            if (info.LinkTarget is { } target)
            {
                target = target.Replace('\\', '/');
                if (StoredPath.LinkProblem(rel, target) is { } problem)
                    throw new DreamException("UnsafePath", DreamErrorKind.SecurityError, $"Link '{rel}' -> '{target}' is not stored: {problem}.");
                entries.Add(new Entry(LinkKind, rel, bytes, FileFacts.Of(info, false) with { Mode = FileFacts.ModeMask }, -1, target));
            }
            else if (info is DirectoryInfo)
                entries.Add(new Entry(FolderKind, rel, bytes, FileFacts.Of(info, true), -1, null));
            else
            {
                var hash = Blake3Hash.ComputeFile(info.FullName, ct);
                var key = Convert.ToHexString(hash);
                if (!blobByHash.TryGetValue(key, out var blob))
                {
                    blob = blobs.Count;
                    blobByHash[key] = blob;
                    blobs.Add(new Blob(((FileInfo)info).Length, hash));
                    blobSources.Add(info.FullName);
                }
                entries.Add(new Entry(FileKind, rel, bytes, FileFacts.Of(info, false), blob, null));
            }
        }
        return (entries, blobs, blobSources);
    }

    public static PackResult Pack(string sourcePath, string destinationPath, PackOptions options, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct)
    {
        var level = ZstdSettings.Level(options, ZstdSettings.FractalDefaultLevel);
        var threads = ZstdSettings.Threads(options);
        Destination.ForContainer(destinationPath, overwrite);
        var (entries, blobs, blobSources) = Scan(sourcePath, ct);
        var solidSize = blobs.Sum(b => b.Size);
        var windowLog = Math.Clamp(64 - (int)ulong.LeadingZeroCount((ulong)Math.Max(1, solidSize - 1)), 20, MaxWindowLog);
        var treeHash = TreeHash(entries, blobs);
        Header Make(long payloadSize, byte[] payloadHash) => new(level, windowLog, solidSize, payloadSize, payloadHash, treeHash, blobs, entries);
        var placeholderLength = Body(Make(0, new byte[32])).Length;
        if (placeholderLength > FormatLimits.MaxHeaderBytes)
            throw new DreamException("LimitExceeded", DreamErrorKind.LimitExceeded, "The archive's entry table exceeds the header limit.");

        byte[] containerHash = [];
        long containerBytes = 0;
        AtomicFile.Write(destinationPath, stream =>
        {
            stream.Write(Envelope.Placeholder(placeholderLength));
            var payload = new HashingWriteStream(stream);
            using (var zstd = new CompressionStream(payload, level, 1 << 17, leaveOpen: true))
            {
                ZstdSettings.Configure((p, v) => zstd.SetParameter(p, v), level, threads, windowLog);
                var buffer = new byte[1 << 20];
                long done = 0;
                for (var i = 0; i < blobs.Count; i++)
                {
                    using var input = new FileStream(blobSources[i], FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                    using var hasher = Hasher.New();
                    long total = 0;
                    int read;
                    while ((read = input.Read(buffer)) > 0)
                    {
                        ct.ThrowIfCancellationRequested();
                        total += read;
                        if (total > blobs[i].Size) throw Destination.SourceChanged(blobSources[i]);
                        hasher.Update(buffer.AsSpan(0, read));
                        zstd.Write(buffer, 0, read);
                        done += read;
                        progress?.Report(new DreamProgress("Packing", blobSources[i], done, solidSize));
                    }
                    var hash = new byte[32];
                    hasher.Finalize(hash);
                    if (total != blobs[i].Size || !hash.AsSpan().SequenceEqual(blobs[i].Hash)) throw Destination.SourceChanged(blobSources[i]);
                }
            }
            var header = Envelope.Seal(DreamFormat.Fractal, Version, Body(Make(payload.Written, payload.FinishHash())));
            (containerHash, containerBytes) = Envelope.WriteHeaderAndHash(stream, header, ct);
        }, overwrite);
        return new PackResult(DreamFormat.Fractal, Path.GetFullPath(destinationPath), Blake3Hash.ToHex(treeHash), Blake3Hash.ToHex(containerHash), solidSize, containerBytes, 0);
    }

    /// <summary>Restores into <paramref name="destination"/> (a folder), or only verifies when it is null.</summary>
    public static OpenResult Open(string containerPath, string? destination, bool overwrite, IProgress<DreamProgress>? progress, CancellationToken ct)
    {
        using var file = Containers.OpenRead(containerPath);
        var whole = new HashingReadStream(file, file.Length);
        var sealedHeader = Envelope.Open(whole, DreamFormat.Fractal, Version);
        var header = Parse(sealedHeader);
        Envelope.CheckLength(sealedHeader, header.PayloadSize);
        var verifications = 1;

        string? finalPath = null, staging = null;
        if (destination is not null)
        {
            finalPath = Path.GetFullPath(destination);
            if (!overwrite && (Directory.Exists(finalPath) || File.Exists(finalPath)))
                throw new DreamException("DestinationExists", DreamErrorKind.AlreadyExists, $"'{finalPath}' already exists; use -Force to replace it.");
            var parent = Path.GetDirectoryName(finalPath) ?? throw new DreamException("InvalidPath", DreamErrorKind.InvalidArgument, $"'{finalPath}' is a root: an archive is never restored over one.");
            // Replacing a folder deletes what it held: never the folder the archive itself lives in.
            var containerFull = Path.GetFullPath(containerPath);
            if (containerFull.StartsWith(Path.TrimEndingDirectorySeparator(finalPath) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new DreamException("DestinationContainsSource", DreamErrorKind.InvalidArgument, $"'{finalPath}' holds the archive being opened; choose another destination.");
            Directory.CreateDirectory(parent);
            staging = Path.Combine(parent, $".{Path.GetFileName(finalPath)}.{Guid.NewGuid():N}.tmp");
        }

        try
        {
            if (staging is not null)
            {
                Directory.CreateDirectory(staging);
                foreach (var e in header.Entries.Where(e => e.Kind == FolderKind))
                    Directory.CreateDirectory(Path.Combine(staging, e.Path));
            }

            var filesByBlob = header.Entries.Where(e => e.Kind == FileKind).ToLookup(e => e.Blob);
            using (var reader = new BoundedZstdReader(whole, sealedHeader.PayloadOffset, header.PayloadSize, header.PayloadHash, header.SolidSize))
            {
                var buffer = new byte[1 << 20];
                long done = 0;
                for (var i = 0; i < header.Blobs.Count; i++)
                {
                    var blob = header.Blobs[i];
                    var users = filesByBlob[i].ToList();
                    void Decode(Stream sink)
                    {
                        using var hasher = Hasher.New();
                        for (long written = 0; written < blob.Size;)
                        {
                            ct.ThrowIfCancellationRequested();
                            var n = (int)Math.Min(buffer.Length, blob.Size - written);
                            reader.ReadExactly(buffer.AsSpan(0, n));
                            hasher.Update(buffer.AsSpan(0, n));
                            sink.Write(buffer, 0, n);
                            written += n;
                        }
                        done += blob.Size;
                        progress?.Report(new DreamProgress("Opening", users[0].Path, done, header.SolidSize));
                        Containers.CheckContentHash(hasher, blob.Hash, "EntryHashMismatch", sealedHeader.PayloadOffset);
                        verifications++;
                    }
                    if (staging is null) Decode(Stream.Null);
                    else
                    {
                        var first = Path.Combine(staging, users[0].Path);
                        AtomicFile.Write(first, Decode, overwrite: false, (UnixFileMode)users[0].Facts.Mode);
                        foreach (var twin in users.Skip(1)) File.Copy(first, Path.Combine(staging, twin.Path));
                    }
                }
                reader.Finish();
                verifications++;
            }
            if (!TreeHash(header.Entries, header.Blobs).AsSpan().SequenceEqual(header.TreeHash))
                throw new DreamFormatException("ContentHashMismatch", "The archive's tree hash does not match its entries.", Envelope.PreambleSize);
            verifications++;

            if (staging is not null)
            {
                foreach (var e in header.Entries.Where(e => e.Kind == LinkKind))
                    File.CreateSymbolicLink(Path.Combine(staging, e.Path), e.Target!);
                foreach (var e in header.Entries.Where(e => e.Kind == FileKind))
                    e.Facts.ApplyTo(Path.Combine(staging, e.Path), isFolder: false);
                foreach (var e in header.Entries.Where(e => e.Kind == FolderKind).Reverse())
                    e.Facts.ApplyTo(Path.Combine(staging, e.Path), isFolder: true);
                Publish(staging, finalPath!, overwrite);
                staging = null;
            }
        }
        finally
        {
            if (staging is not null) TryDeleteFolder(staging);
        }
        var containerHash = whole.DrainAndHash();
        return new OpenResult(DreamFormat.Fractal, finalPath ?? "", Blake3Hash.ToHex(containerHash), Blake3Hash.ToHex(header.TreeHash), sealedHeader.ContainerLength, header.SolidSize, verifications);
    }

    /// <summary>Moves the fully verified staging folder into place; an existing destination is only removed after that.</summary>
    private static void Publish(string staging, string finalPath, bool overwrite)
    {
        if (!Directory.Exists(finalPath) && !File.Exists(finalPath))
        {
            Directory.Move(staging, finalPath);
            return;
        }
        if (!overwrite)
            throw new DreamException("DestinationExists", DreamErrorKind.AlreadyExists, $"'{finalPath}' already exists; use -Force to replace it.");
        var old = staging + ".old";
        var wasFolder = Directory.Exists(finalPath);
        if (wasFolder) Directory.Move(finalPath, old);
        else File.Move(finalPath, old);
        try
        {
            Directory.Move(staging, finalPath);
        }
        catch
        {
            // Put the previous destination back so a failed replace loses nothing.
            if (wasFolder) Directory.Move(old, finalPath);
            else File.Move(old, finalPath);
            throw;
        }
        if (wasFolder) TryDeleteFolder(old);
        else AtomicFile.TryDelete(old);
    }

    private static void TryDeleteFolder(string path)
    {
        try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static ContainerInfo Inspect(string containerPath)
    {
        using var file = Containers.OpenRead(containerPath);
        var sealedHeader = Envelope.Open(file, DreamFormat.Fractal, Version);
        var h = Parse(sealedHeader);
        var list = h.Entries.Select(e => e.Kind switch
        {
            FileKind => new ContainerEntry(e.Path, h.Blobs[e.Blob].Size, Blake3Hash.ToHex(h.Blobs[e.Blob].Hash), e.Facts.Mode, e.Facts.Modified, false),
            FolderKind => new ContainerEntry(e.Path, 0, "", e.Facts.Mode, e.Facts.Modified, true),
            _ => new ContainerEntry(e.Path, 0, "", e.Facts.Mode, e.Facts.Modified, false) { LinkTarget = e.Target },
        }).ToList();
        return new ContainerInfo(Path.GetFullPath(containerPath), DreamFormat.Fractal, Version, sealedHeader.ContainerLength, h.SolidSize,
            Blake3Hash.ToHex(h.TreeHash), h.Entries.Count, h.Blobs.Count, h.Level, list);
    }
}
