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
        return ComputeStream(stream, cancellationToken, bytesRead);
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
