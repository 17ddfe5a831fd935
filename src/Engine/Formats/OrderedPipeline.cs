namespace Dreamwell.Formats;

/// <summary>
/// Runs independent per-chunk work on several threads while the calling thread consumes results strictly in
/// index order (writing, sequential hashing). At most <c>window</c> results exist at once, which bounds memory.
/// A worker takes a permit before it takes the next index, so the lowest unconsumed index always holds one:
/// the consumer can always make progress.
/// </summary>
internal static class OrderedPipeline
{
    public static void Run<T>(int count, int workers, int window, Func<int, T> produce, Action<int, T> consume, CancellationToken ct)
    {
        if (count == 0) return;
        workers = Math.Clamp(workers, 1, count);
        window = Math.Max(window, workers);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var permits = new SemaphoreSlim(window, window);
        var slots = new T[window];
        var done = new bool[window];
        var gate = new object();
        Exception? failure = null;
        var next = -1;

        void Worker()
        {
            try
            {
                while (true)
                {
                    permits.Wait(stop.Token);
                    var index = Interlocked.Increment(ref next);
                    if (index >= count) return;
                    var result = produce(index);
                    lock (gate)
                    {
                        slots[index % window] = result;
                        done[index % window] = true;
                        Monitor.PulseAll(gate);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                lock (gate)
                {
                    failure ??= e;
                    Monitor.PulseAll(gate);
                }
                stop.Cancel();
            }
        }

        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Factory.StartNew(Worker, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            for (var i = 0; i < count; i++)
            {
                T item;
                lock (gate)
                {
                    while (!done[i % window] && failure is null && !stop.IsCancellationRequested) Monitor.Wait(gate, 100);
                    if (failure is not null) break;
                    stop.Token.ThrowIfCancellationRequested();
                    item = slots[i % window];
                    slots[i % window] = default!;
                    done[i % window] = false;
                }
                consume(i, item);
                permits.Release();
            }
        }
        finally
        {
            stop.Cancel();
            Task.WaitAll(tasks);
        }
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        ct.ThrowIfCancellationRequested();
    }
}
