namespace Dreamwell.Formats;

/// <summary>
/// Bounds every parser honours before it allocates or decodes. A container that claims more is refused with
/// "LimitExceeded" instead of being trusted. docs/formats.md lists the same numbers.
/// </summary>
public static class FormatLimits
{
    /// <summary>Largest header body (metadata, chunk/op/entry tables) a reader accepts.</summary>
    public const int MaxHeaderBytes = 64 << 20;

    /// <summary>Largest content size any container may declare (1 PiB).</summary>
    public const long MaxContentBytes = 1L << 50;

    /// <summary>Longest stored path in UTF-8 bytes, and longest single path segment.</summary>
    public const int MaxPathBytes = 4096;
    public const int MaxSegmentBytes = 255;

    /// <summary>Most entries (files, folders, links) in a fractal archive, and most ops in a delta.</summary>
    public const int MaxEntries = 1_000_000;
    public const int MaxDeltaOps = 16_000_000;

    /// <summary>
    /// Decompression ratio bound: declared size ≤ MaxRatio × compressed size + RatioSlack. A zstd block holds at
    /// most 128 KiB and costs at least 4 bytes, so every genuine zstd stream meets it; a header that lies does not.
    /// </summary>
    public const long MaxRatio = 32768;
    public const long RatioSlack = 1 << 20;

    /// <summary>zstd window the decoder accepts (128 MiB, what the fractal writer uses at most).</summary>
    public const int MaxWindowLog = 27;

    internal static void CheckRatio(long declared, long compressed, long offset)
    {
        if (declared < 0 || declared > MaxContentBytes)
            throw new DreamFormatException("LimitExceeded", $"Declared size {declared} is outside 0..{MaxContentBytes}.", offset);
        if (compressed < 0 || declared > compressed * MaxRatio + RatioSlack)
            throw new DreamFormatException("LimitExceeded", $"Declared size {declared} exceeds the decompression ratio limit for {compressed} compressed bytes.", offset);
    }
}
