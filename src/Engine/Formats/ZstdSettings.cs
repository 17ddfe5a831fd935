using ZstdSharp.Unsafe;

namespace Dreamwell.Formats;

/// <summary>How compressors are configured, in one place, so every format gets deterministic output.</summary>
internal static class ZstdSettings
{
    public const int DefaultLevel = 3;
    public const int FractalDefaultLevel = 19;

    public static int Threads(PackOptions options) => options.Threads > 0 ? options.Threads : Environment.ProcessorCount;

    public static int Level(PackOptions options, int fallback)
    {
        var level = options.Level ?? fallback;
        if (level < -7 || level > 22 || level == 0)
            throw new DreamException("InvalidLevel", DreamErrorKind.InvalidArgument, $"Level {level} is outside zstd's -7..-1, 1..22.");
        return level;
    }

    /// <summary>
    /// Without long-distance matching, multi-threaded zstd (nbWorkers ≥ 1) produces the same bytes whatever the
    /// worker count, so the thread count never changes the container. With long-distance matching the
    /// multi-threaded output depends on timing (measured: two runs with 2 workers differed), so that mode always
    /// compresses on one thread (nbWorkers = 0).
    /// </summary>
    public static void Configure(Action<ZSTD_cParameter, int> set, int level, int threads, int? longWindowLog)
    {
        set(ZSTD_cParameter.ZSTD_c_compressionLevel, level);
        set(ZSTD_cParameter.ZSTD_c_checksumFlag, 0);
        if (longWindowLog is { } windowLog)
        {
            set(ZSTD_cParameter.ZSTD_c_nbWorkers, 0);
            set(ZSTD_cParameter.ZSTD_c_enableLongDistanceMatching, 1);
            set(ZSTD_cParameter.ZSTD_c_windowLog, windowLog);
        }
        else set(ZSTD_cParameter.ZSTD_c_nbWorkers, Math.Max(1, threads));
    }
}
