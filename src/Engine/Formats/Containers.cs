using Blake3;

namespace Dreamwell.Formats;

/// <summary>Small pieces every format reader shares.</summary>
internal static class Containers
{
    public static FileStream OpenRead(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new DreamException("ContainerNotFound", DreamErrorKind.NotFound, $"'{full}' does not exist.");
        return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
    }

    public static void CheckContentHash(Hasher hasher, byte[] expected, string errorId, long offset)
    {
        Span<byte> actual = stackalloc byte[Blake3Hash.Size];
        hasher.Finalize(actual);
        if (!actual.SequenceEqual(expected))
            throw new DreamFormatException(errorId, "The restored content's BLAKE3 hash does not match the header.", offset);
    }
}
