using System.Buffers.Binary;
using System.Text;
using Dreamwell.Identity;

namespace Dreamwell.Sync;

/// <summary>One release of a signal: every file of the publisher's folder at that moment, with its chunks.</summary>
public sealed record SignalManifest(byte[] SignalId, byte[] PublisherKey, long Release, DateTimeOffset Created, string Name, IReadOnlyList<SyncFileState> Files)
{
    public const int MaxBytes = 64 << 20;
    public const int MaxFiles = 1_000_000;
    private static readonly byte[] Magic = "DWSM"u8.ToArray();
    private const byte FormatVersion = 1;

    /// <summary>The canonical bytes (docs/sync.md, "Signal manifests"); files sorted by path (ordinal).</summary>
    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        buffer.Write(Magic);
        buffer.WriteByte(FormatVersion);
        buffer.Write(SignalId);
        buffer.Write(PublisherKey);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(number, Release); buffer.Write(number);
        BinaryPrimitives.WriteInt64LittleEndian(number, Created.ToUnixTimeMilliseconds()); buffer.Write(number);
        WriteText(buffer, Name);
        BinaryPrimitives.WriteInt32LittleEndian(number, Files.Count); buffer.Write(number[..4]);
        foreach (var file in Files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            WriteText(buffer, file.Path);
            BinaryPrimitives.WriteInt64LittleEndian(number, file.Size); buffer.Write(number);
            BinaryPrimitives.WriteInt32LittleEndian(number, file.Mode); buffer.Write(number[..4]);
            BinaryPrimitives.WriteInt64LittleEndian(number, file.ModifiedUnixNs); buffer.Write(number);
            BinaryPrimitives.WriteInt32LittleEndian(number, file.Chunks.Count); buffer.Write(number[..4]);
            foreach (var chunk in file.Chunks)
            {
                BinaryPrimitives.WriteInt32LittleEndian(number, chunk.Size); buffer.Write(number[..4]);
                buffer.Write(Convert.FromHexString(chunk.Hash));
            }
        }
        if (buffer.Length > MaxBytes) throw new DreamException(SyncErrors.LimitExceeded, DreamErrorKind.LimitExceeded, $"The signal's manifest would be {buffer.Length} bytes; at most {MaxBytes}.");
        return buffer.ToArray();
    }

    /// <summary>Parses manifest bytes, bounded; every path is validated. Files carry version {publisher: release}.</summary>
    public static SignalManifest Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes || bytes.Length < 4 + 1 + 16 + 32 + 8 + 8 + 2 + 4 || !bytes[..4].SequenceEqual(Magic)) throw Bad("it is not a signal manifest");
        if (bytes[4] != FormatVersion) throw Bad($"it is format {bytes[4]}; this Dreamwell reads {FormatVersion}");
        var at = 5;
        var signalId = Take(bytes, ref at, 16).ToArray();
        var publisher = Take(bytes, ref at, 32).ToArray();
        var release = BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, ref at, 8));
        var created = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, ref at, 8)), 0, 253402300799999));
        var name = ReadText(bytes, ref at);
        var count = BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref at, 4));
        if (release < 1 || count < 0 || count > MaxFiles || count > bytes.Length) throw Bad("its release or file count is out of range");
        var publisherId = DreamIdentity.QuantumIdOf(publisher);
        var version = VersionVector.Parse($"{publisherId}:{release}");
        var files = new List<SyncFileState>(Math.Min(count, 100_000));
        string? previous = null;
        for (var i = 0; i < count; i++)
        {
            var path = ReadText(bytes, ref at);
            if (!SyncPath.IsValid(path, out var why)) throw new DreamException(SyncErrors.UnsafePath, DreamErrorKind.SecurityError, $"The signal's manifest names '{path}': {why}.");
            if (previous is not null && string.CompareOrdinal(previous, path) >= 0) throw Bad("its files are not in strict path order");
            previous = path;
            var size = BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, ref at, 8));
            var mode = BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref at, 4));
            var mtime = BinaryPrimitives.ReadInt64LittleEndian(Take(bytes, ref at, 8));
            var chunkCount = BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref at, 4));
            if (chunkCount < 0 || (long)chunkCount * 36 > bytes.Length - at) throw Bad("a file claims more chunks than the manifest holds");
            var chunks = new List<SyncChunk>(chunkCount);
            long offset = 0;
            for (var c = 0; c < chunkCount; c++)
            {
                var chunkSize = BinaryPrimitives.ReadInt32LittleEndian(Take(bytes, ref at, 4));
                if (chunkSize is <= 0 or > 1 << 20) throw Bad("a chunk size is out of range");
                chunks.Add(new SyncChunk(offset, chunkSize, Convert.ToHexStringLower(Take(bytes, ref at, 32))));
                offset += chunkSize;
            }
            if (offset != size) throw Bad($"'{path}' has a size that does not match its chunks");
            files.Add(new SyncFileState(path, size, mode, mtime, false, version, chunks));
        }
        if (at != bytes.Length) throw Bad("it has trailing bytes");
        return new SignalManifest(signalId, publisher, release, created, name, files);
    }

    /// <summary>The bytes the publisher signs for a release: domain, signal id, release, manifest hash and size.</summary>
    public static byte[] HeadBytes(ReadOnlySpan<byte> signalId, long release, ReadOnlySpan<byte> manifestHash, long manifestSize)
    {
        var domain = "dreamwell-signal-head-v1\0"u8;
        var bytes = new byte[domain.Length + 16 + 8 + 32 + 8];
        domain.CopyTo(bytes);
        var at = domain.Length;
        signalId.CopyTo(bytes.AsSpan(at)); at += 16;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at), release); at += 8;
        manifestHash.CopyTo(bytes.AsSpan(at)); at += 32;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at), manifestSize);
        return bytes;
    }

    private static void WriteText(Stream buffer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > ushort.MaxValue) throw Bad("a name is too long");
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }

    private static string ReadText(ReadOnlySpan<byte> bytes, ref int at) =>
        Encoding.UTF8.GetString(Take(bytes, ref at, BinaryPrimitives.ReadUInt16LittleEndian(Take(bytes, ref at, 2))));

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> bytes, ref int at, int length)
    {
        if (length < 0 || at + length > bytes.Length) throw Bad("it is cut short");
        var slice = bytes.Slice(at, length);
        at += length;
        return slice;
    }

    private static DreamException Bad(string why) => new DreamFormatException("BadSignalManifest", $"Signal manifest refused: {why}.");
}

/// <summary>A signed release announcement: which manifest (by BLAKE3 hash and size) is release N of a signal.</summary>
public sealed record SignalHead(string SignalId, long Release, string ManifestHash, long ManifestSize, byte[] Signature)
{
    public bool Verify(byte[] publisherKey) =>
        IdentitySigner.Verify(publisherKey, SignalManifest.HeadBytes(Convert.FromHexString(SignalId), Release, Convert.FromHexString(ManifestHash), ManifestSize), Signature);
}
