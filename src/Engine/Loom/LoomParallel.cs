namespace Dreamwell.Loom;

/// <summary>Splits work into chunks over a fixed number of threads. Chunks own disjoint outputs, so results are deterministic.</summary>
internal sealed class LoomParallel
{
    private readonly ParallelOptions _options;

    public LoomParallel(int threads)
    {
        Threads = Math.Max(1, threads);
        _options = new ParallelOptions { MaxDegreeOfParallelism = Threads };
    }

    public int Threads { get; }

    /// <summary>Runs body(start, end) over [0, count) in contiguous chunks aligned to <paramref name="align"/>.</summary>
    public void For(int count, int align, int minChunk, Action<int, int> body)
    {
        if (count <= 0) return;
        int chunks = Math.Min(Threads * 4, Math.Max(1, count / Math.Max(minChunk, 1)));
        if (Threads == 1 || chunks <= 1)
        {
            body(0, count);
            return;
        }
        int units = (count + align - 1) / align;
        chunks = Math.Min(chunks, units);
        Parallel.For(0, chunks, _options, c =>
        {
            int start = (int)((long)units * c / chunks) * align;
            int end = Math.Min(count, (int)((long)units * (c + 1) / chunks) * align);
            if (start < end) body(start, end);
        });
    }
}
