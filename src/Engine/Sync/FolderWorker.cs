using System.Threading.Channels;

namespace Dreamwell.Sync;

/// <summary>Totals a shared folder has moved since its node started.</summary>
internal sealed class SyncCounters
{
    public long FilesReceived, BytesReceived, Deleted, Announced, BytesSent, ChunksReused, BytesReused, Conflicts;

    public void Add(ApplyResult result)
    {
        Interlocked.Add(ref FilesReceived, result.FilesReceived);
        Interlocked.Add(ref BytesReceived, result.BytesFetched);
        Interlocked.Add(ref Deleted, result.Deleted);
        Interlocked.Add(ref ChunksReused, result.ChunksReused);
        Interlocked.Add(ref BytesReused, result.BytesReused);
        Interlocked.Add(ref Conflicts, result.Conflicts);
    }
}

/// <summary>
/// The one thread of work of a shared folder (portal or signal) on a running node: scans (on file-system events,
/// debounced, and periodically) and whatever its owner posts (applying a peer's changes, publishing a release) run
/// strictly one at a time, so the folder and its index never see two writers. Serving chunks and index pages to
/// peers reads through a second connection to the index and may run on any thread.
/// </summary>
internal abstract class FolderWorker : IAsyncDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(120);
    private const int MaxWatchedPaths = 4096;

    private readonly SyncIndex _readIndex;
    private readonly object _readGate = new();
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _debounce;
    private readonly Timer _rescan;
    private Task _loop = Task.CompletedTask;
    private int _busy;
    private int _queued;
    private int _scanQueued;
    private int _fullScanWanted = 1;
    private readonly object _watchedGate = new();

    /// <summary>Paths the watcher named since the last scan (relative, '/'-separated); past the bound, a full scan.</summary>
    private HashSet<string> _watched = new(StringComparer.Ordinal);

    protected FolderWorker(string folder, string stateFolder, string deviceId, TimeSpan rescanInterval, Action<string>? onProblem)
    {
        Folder = folder;
        DeviceId = deviceId;
        OnProblem = onProblem;
        Directory.CreateDirectory(stateFolder);
        Index = new SyncIndex(Path.Combine(stateFolder, "index.db"));
        _readIndex = new SyncIndex(Path.Combine(stateFolder, "index.db"));
        ChunkCache = Path.Combine(stateFolder, "chunks");
        StateFolder = stateFolder;
        _debounce = new Timer(_ => QueueScan());
        _rescan = new Timer(_ => RequestScan(), null, rescanInterval, rescanInterval);
        try
        {
            _watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes,
            };
            FileSystemEventHandler changed = (_, e) => OnFileEvent(e.Name);
            _watcher.Created += changed;
            _watcher.Changed += changed;
            _watcher.Deleted += changed;
            _watcher.Renamed += (_, e) =>
            {
                OnFileEvent(e.OldName);
                OnFileEvent(e.Name);
            };
            _watcher.Error += (_, e) => { OnProblem?.Invoke($"File watcher of '{folder}' failed ({e.GetException().Message}); periodic rescans continue."); RequestScan(); };
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            _watcher = null;
            onProblem?.Invoke($"No file watcher for '{folder}' ({e.Message}); changes are found by rescans every {rescanInterval.TotalSeconds:0} s.");
        }
    }

    /// <summary>Starts the worker thread and the first scan; call once the subclass is fully built.</summary>
    protected void Start()
    {
        _loop = Task.Run(RunAsync);
        RequestScan();
    }

    public string Folder { get; }
    public string DeviceId { get; }
    public string StateFolder { get; }
    public Action<string>? OnProblem { get; }
    public SyncCounters Counters { get; } = new();
    public DateTimeOffset? LastScan { get; private set; }

    /// <summary>The writable index: only work running on the worker thread may use it.</summary>
    protected SyncIndex Index { get; }
    protected string ChunkCache { get; }
    protected CancellationToken Stopping => _stopping.Token;

    public bool IsIdle => Volatile.Read(ref _busy) == 0 && Volatile.Read(ref _queued) == 0;

    /// <summary>Asks for a full scan (the periodic rescan, Sync-Portal, a watcher error).</summary>
    public void RequestScan()
    {
        Volatile.Write(ref _fullScanWanted, 1);
        QueueScan();
    }

    /// <summary>
    /// Queues a scan unless one is already queued and not started: a burst of file events (our own pulls make one per
    /// file) costs one scan after it, not one per debounce, and applies are not stuck behind a row of scans.
    /// </summary>
    private void QueueScan()
    {
        if (Interlocked.Exchange(ref _scanQueued, 1) == 0) Post(Scan, null);
    }

    /// <summary>Queues work for the worker thread; <paramref name="onFailure"/> sees its failures (anything but a stop).</summary>
    protected void Post(Func<CancellationToken, Task> run, Action<Exception>? onFailure) => Post(new Work(run, onFailure, null));

    /// <summary>Completes after everything queued before it has run.</summary>
    public Task BarrierAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new Work(null, null, done));
        return done.Task;
    }

    /// <summary>Index entries changed after a sequence, a page at a time.</summary>
    public IReadOnlyList<SyncFileState> Page(long since, int limit)
    {
        lock (_readGate) return _readIndex.ChangedSince(since, limit).ToList();
    }

    /// <summary>The index entry of one path, or null.</summary>
    public SyncFileState? Entry(string path)
    {
        lock (_readGate) return _readIndex.Get(path);
    }

    public string? ReadMeta(string key)
    {
        lock (_readGate) return _readIndex.GetMeta(key);
    }

    public (long Files, long Bytes, long Deleted) Totals()
    {
        lock (_readGate) return _readIndex.Totals();
    }

    /// <summary>A chunk from the local folder, verified, for a peer that asked; null when we do not have it.</summary>
    public byte[]? ReadChunk(string hash, int size)
    {
        IReadOnlyList<(string Path, long Offset, int Size)> places;
        lock (_readGate) places = _readIndex.PlacesOf(hash);
        foreach (var (path, offset, length) in places)
        {
            if (length != size) continue;
            try
            {
                using var input = new FileStream(SyncPath.Resolve(Folder, path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                if (input.Length < offset + length) continue;
                input.Position = offset;
                var bytes = new byte[length];
                input.ReadExactly(bytes);
                if (Blake3Hash.Hex(bytes) == hash)
                {
                    Interlocked.Add(ref Counters.BytesSent, length);
                    return bytes;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DreamException) { }
        }
        return null;
    }

    /// <summary>Runs on the worker thread after every scan.</summary>
    protected abstract void Scanned(ScanResult result);

    /// <summary>
    /// Runs on the worker thread when a long scan has committed part of what it found (a large new folder); null when
    /// a scan should commit once, at its end.
    /// </summary>
    protected virtual Action? ScanPortionCommitted => null;

    private Task Scan(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _scanQueued, 0); // events from now on need a scan after this one
        HashSet<string> watched;
        lock (_watchedGate) (watched, _watched) = (_watched, new HashSet<string>(StringComparer.Ordinal));
        var full = Interlocked.Exchange(ref _fullScanWanted, 0) == 1 || watched.Count > MaxWatchedPaths;
        if (!Directory.Exists(Folder))
        {
            OnProblem?.Invoke($"The folder '{Folder}' is missing; nothing is synced until it is back.");
            Volatile.Write(ref _fullScanWanted, 1);
            return Task.CompletedTask;
        }
        if (LastScan is null) SyncApplier.RemoveLeftoverTemps(Folder); // a killed node's unfinished builds; nothing else writes yet
        ScanResult result;
        try
        {
            var ignore = IgnorePatterns.Load(Folder);
            result = (full || LastScan is null ? null : FolderScanner.ScanPaths(Folder, Index, DeviceId, ignore, watched, cancellationToken))
                ?? FolderScanner.Scan(Folder, Index, DeviceId, ignore, null, cancellationToken, ScanPortionCommitted);
        }
        catch
        {
            Volatile.Write(ref _fullScanWanted, 1); // the paths the watcher named are not lost: the next scan is a full one
            throw;
        }
        LastScan = DateTimeOffset.UtcNow;
        Scanned(result);
        return Task.CompletedTask;
    }

    private void OnFileEvent(string? name)
    {
        if (name is not null && name.Split('/', '\\').Any(s => s.StartsWith(SyncPath.TempPrefix, StringComparison.Ordinal))) return;
        lock (_watchedGate)
        {
            if (name is null) Volatile.Write(ref _fullScanWanted, 1);
            else if (_watched.Count <= MaxWatchedPaths) _watched.Add(name.Replace(Path.DirectorySeparatorChar, '/'));
        }
        try { _debounce.Change(Debounce, Timeout.InfiniteTimeSpan); } catch (ObjectDisposedException) { }
    }

    private sealed record Work(Func<CancellationToken, Task>? Run, Action<Exception>? OnFailure, TaskCompletionSource? Barrier);

    private void Post(Work work)
    {
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(work)) Interlocked.Decrement(ref _queued);
    }

    private async Task RunAsync()
    {
        await foreach (var work in _queue.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
        {
            Interlocked.Exchange(ref _busy, 1);
            Interlocked.Decrement(ref _queued);
            try
            {
                if (work.Barrier is not null) work.Barrier.TrySetResult();
                else await work.Run!(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { return; }
            catch (Exception e) when (e is IOException or DreamException or UnauthorizedAccessException or TimeoutException or OperationCanceledException
                                      or System.Data.Common.DbException)
            {
                // A dropped link, a busy file or a busy index ends this piece of work only; what was not done is asked for again later.
                if (work.OnFailure is not null) work.OnFailure(e);
                else OnProblem?.Invoke($"'{Folder}': {e.Message}");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A defect in one piece of work must not stop the folder for good: report it loudly and keep serving.
                OnProblem?.Invoke($"'{Folder}': unexpected {e.GetType().Name} (a defect; please report it): {e.Message}");
                work.OnFailure?.Invoke(e);
            }
            finally
            {
                Interlocked.Exchange(ref _busy, 0);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        if (_watcher is not null) { _watcher.EnableRaisingEvents = false; _watcher.Dispose(); }
        await _debounce.DisposeAsync().ConfigureAwait(false);
        await _rescan.DisposeAsync().ConfigureAwait(false);
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        Index.Dispose();
        lock (_readGate) _readIndex.Dispose();
    }
}
