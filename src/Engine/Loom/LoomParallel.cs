using System.Runtime.ExceptionServices;

namespace Dreamwell.Loom;

/// <summary>
/// Splits work into contiguous chunks run by the calling thread plus helpers from a small process-wide pool.
/// Chunks own disjoint outputs, so results are deterministic. Unlike Parallel.For it allocates nothing per call
/// (the training step allocates only the kernels' closures).
/// </summary>
internal sealed class LoomParallel
{
    public LoomParallel(int threads) => Threads = Math.Max(1, threads);

    public int Threads { get; }

    /// <summary>Runs body(start, end) over [0, count) in contiguous chunks aligned to <paramref name="align"/>.</summary>
    public void For(int count, int align, int minChunk, Action<int, int> body)
    {
        if (count <= 0) return;
        int chunks = Math.Min(Threads * 4, Math.Max(1, count / Math.Max(minChunk, 1)));
        int units = (count + align - 1) / align;
        chunks = Math.Min(chunks, units);
        if (Threads == 1 || chunks <= 1 || WorkerPool.InsideJob)
        {
            body(0, count);
            return;
        }
        WorkerPool.Run(body, count, align, units, chunks, Math.Min(Threads - 1, chunks - 1));
    }

    /// <summary>Background helper threads, created on first use and kept; one job at a time (callers queue on a lock).</summary>
    private static class WorkerPool
    {
        private static readonly object Gate = new();
        private static readonly SemaphoreSlim Start = new(0);
        private static readonly ManualResetEventSlim Done = new(false);
        private static readonly List<Thread> Workers = [];
        private static Action<int, int>? _body;
        private static int _count, _align, _units, _chunks, _next, _active;
        private static Exception? _failure;
        [ThreadStatic] private static bool _insideJob;

        public static bool InsideJob => _insideJob;

        public static void Run(Action<int, int> body, int count, int align, int units, int chunks, int helpers)
        {
            lock (Gate)
            {
                while (Workers.Count < helpers)
                {
                    var worker = new Thread(WorkerLoop) { IsBackground = true, Name = $"Loom worker {Workers.Count + 1}" };
                    Workers.Add(worker);
                    worker.Start();
                }
                _body = body; _count = count; _align = align; _units = units; _chunks = chunks;
                _next = 0; _failure = null; _active = helpers + 1;
                Done.Reset();
                Start.Release(helpers);
                Work();
                if (Interlocked.Decrement(ref _active) != 0) Done.Wait();
                _body = null;
                if (_failure is { } failure) ExceptionDispatchInfo.Throw(failure);
            }
        }

        private static void WorkerLoop()
        {
            while (true)
            {
                Start.Wait();
                Work();
                if (Interlocked.Decrement(ref _active) == 0) Done.Set();
            }
        }

        private static void Work()
        {
            _insideJob = true;
            try
            {
                int chunk;
                while ((chunk = Interlocked.Increment(ref _next) - 1) < _chunks)
                {
                    int start = (int)((long)_units * chunk / _chunks) * _align;
                    int end = Math.Min(_count, (int)((long)_units * (chunk + 1) / _chunks) * _align);
                    if (start >= end) continue;
                    try { _body!(start, end); }
                    catch (Exception e) { Interlocked.CompareExchange(ref _failure, e, null); }
                }
            }
            finally { _insideJob = false; }
        }
    }
}
