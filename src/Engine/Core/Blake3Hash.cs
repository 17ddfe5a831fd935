using Blake3;

namespace Dreamwell;

/// <summary>BLAKE3 helpers: one place that decides how hashes are computed and printed (lowercase hex).</summary>
public static class Blake3Hash
{
    public const int Size = 32;

    public static byte[] Compute(ReadOnlySpan<byte> data)
    {
        var output = new byte[Size];
        Hasher.Hash(data, output);
        return output;
    }

    public static string Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(Compute(data));

    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    /// <summary>Hashes a whole file, streaming, with BLAKE3's multi-threaded join for large buffers.</summary>
    public static byte[] ComputeFile(string path, CancellationToken cancellationToken = default, IProgress<long>? bytesRead = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (stream.Length < MappedThreshold) return ComputeStream(stream, cancellationToken, bytesRead);
        return ComputeMapped(stream, cancellationToken, bytesRead);
    }

    // Large files are hashed from a memory map, as b3sum does: BLAKE3's multi-threaded join then sees
    // big contiguous spans instead of 1 MiB reads copied through a buffer.
    private const long MappedThreshold = 16L << 20;
    private const int MappedSlice = 256 << 20;

    private static unsafe byte[] ComputeMapped(FileStream stream, CancellationToken cancellationToken, IProgress<long>? bytesRead)
    {
        var length = stream.Length;
        using var map = System.IO.MemoryMappedFiles.MemoryMappedFile.CreateFromFile(stream, null, 0,
            System.IO.MemoryMappedFiles.MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        using var view = map.CreateViewAccessor(0, length, System.IO.MemoryMappedFiles.MemoryMappedFileAccess.Read);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        try
        {
            start += view.PointerOffset;
            using var hasher = Hasher.New();
            for (long done = 0; done < length;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = (int)Math.Min(MappedSlice, length - done);
                hasher.UpdateWithJoin(new ReadOnlySpan<byte>(start + done, count));
                done += count;
                bytesRead?.Report(done);
            }
            var output = new byte[Size];
            hasher.Finalize(output);
            return output;
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    public static byte[] ComputeStream(Stream stream, CancellationToken cancellationToken = default, IProgress<long>? bytesRead = null)
    {
        using var hasher = Hasher.New();
        var buffer = new byte[1 << 20];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (read >= 1 << 17) hasher.UpdateWithJoin(buffer.AsSpan(0, read));
            else hasher.Update(buffer.AsSpan(0, read));
            total += read;
            bytesRead?.Report(total);
        }
        var output = new byte[Size];
        hasher.Finalize(output);
        return output;
    }
}
