using System.Threading.Channels;

namespace Dreamwell.Sync;

/// <summary>
/// The one thread of work of a portal on a running node: scans (on file-system events, debounced, and periodically)
/// and applies index batches from peers, strictly one at a time, so the folder and the index never see two writers.
/// Serving chunks and index pages to peers reads through a second connection to the index.
/// </summary>
internal sealed class PortalWorker : IAsyncDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(120);

    private readonly string _deviceId;
    private readonly SyncIndex _index;
    private readonly SyncIndex _readIndex;
    private readonly object _readGate = new();
    private readonly string _chunkCache;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _debounce;
    private readonly Timer _rescan;
    private readonly List<(PortalSession Session, SyncFileState State)> _deferred = [];
    private int _busy;
    private long _filesReceived, _bytesReceived, _deleted, _announced, _bytesSent, _chunksReused, _bytesReused, _conflicts;
    private DateTimeOffset? _lastScan;

    public PortalWorker(PortalRecord record, string stateFolder, string deviceId, TimeSpan rescanInterval, Action<string>? onProblem)
    {
        Record = record;
        _deviceId = deviceId;
        Directory.CreateDirectory(stateFolder);
        _index = new SyncIndex(Path.Combine(stateFolder, "index.db"));
        _readIndex = new SyncIndex(Path.Combine(stateFolder, "index.db"));
        _chunkCache = Path.Combine(stateFolder, "chunks");
        OnProblem = onProblem;
        _debounce = new Timer(_ => RequestScan());
        _rescan = new Timer(_ => RequestScan(), null, rescanInterval, rescanInterval);
        try
        {
            _watcher = new FileSystemWatcher(record.Path)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes,
            };
            FileSystemEventHandler changed = (_, e) => OnFileEvent(e.Name);
            _watcher.Created += changed;
            _watcher.Changed += changed;
            _watcher.Deleted += changed;
            _watcher.Renamed += (_, e) => OnFileEvent(e.Name);
            _watcher.Error += (_, e) => { OnProblem?.Invoke($"File watcher of '{record.Path}' failed ({e.GetException().Message}); periodic rescans continue."); RequestScan(); };
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            _watcher = null;
            onProblem?.Invoke($"No file watcher for '{record.Path}' ({e.Message}); changes are found by rescans every {rescanInterval.TotalSeconds:0} s.");
        }
        _loop = Task.Run(RunAsync);
        RequestScan();
    }

    public PortalRecord Record { get; set; }
    public Action<string>? OnProblem { get; }

    /// <summary>Raised (on the worker thread) after the local index changed: peers should hear about it.</summary>
    public event Action? IndexChanged;

    public bool IsIdle => Volatile.Read(ref _busy) == 0 && Volatile.Read(ref _queued) == 0;

    private int _queued;

    public void RequestScan() => Post(new Work(null, null, null));

    public void Enqueue(PortalSession session, IReadOnlyList<SyncFileState> states) => Post(new Work(session, states, null));

    private void Post(Work work)
    {
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(work)) Interlocked.Decrement(ref _queued);
    }

    /// <summary>Completes after everything queued before it has run.</summary>
    public Task BarrierAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new Work(null, null, done));
        return done.Task;
    }

    /// <summary>Index entries changed after a sequence, a page at a time (for announcements).</summary>
    public IReadOnlyList<SyncFileState> Page(long since, int limit)
    {
        lock (_readGate) return _readIndex.ChangedSince(since, limit).ToList();
    }

    public long AppliedFrom(string peer)
    {
        lock (_readGate) return long.TryParse(_readIndex.GetMeta("peer:" + peer), out var s) ? s : 0;
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
                using var input = new FileStream(SyncPath.Resolve(Record.Path, path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                if (input.Length < offset + length) continue;
                input.Position = offset;
                var bytes = new byte[length];
                input.ReadExactly(bytes);
                if (Blake3Hash.Hex(bytes) == hash)
                {
                    Interlocked.Add(ref _bytesSent, length);
                    return bytes;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DreamException) { }
        }
        return null;
    }

    public void CountAnnounced(int entries) => Interlocked.Add(ref _announced, entries);

    public PortalSyncReport Report(int connectedPeers)
    {
        (long Files, long Bytes, long Deleted) totals;
        lock (_readGate) totals = _readIndex.Totals();
        List<string> deferred;
        lock (_deferred) deferred = _deferred.Select(d => d.State.Path).Distinct().ToList();
        return new PortalSyncReport(Record.Id, Record.Name, Record.Path, connectedPeers, Interlocked.Read(ref _filesReceived), Interlocked.Read(ref _bytesReceived),
            Interlocked.Read(ref _deleted), Interlocked.Read(ref _announced), Interlocked.Read(ref _bytesSent), Interlocked.Read(ref _chunksReused),
            Interlocked.Read(ref _bytesReused), Interlocked.Read(ref _conflicts), totals.Files, totals.Bytes, deferred, _lastScan);
    }

    private void OnFileEvent(string? name)
    {
        if (name is not null && name.Split('/', '\\').Any(s => s.StartsWith(SyncPath.TempPrefix, StringComparison.Ordinal))) return;
        try { _debounce.Change(Debounce, Timeout.InfiniteTimeSpan); } catch (ObjectDisposedException) { }
    }

    private sealed record Work(PortalSession? Session, IReadOnlyList<SyncFileState>? States, TaskCompletionSource? Barrier);

    private async Task RunAsync()
    {
        await foreach (var work in _queue.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
        {
            Interlocked.Exchange(ref _busy, 1);
            Interlocked.Decrement(ref _queued);
            try
            {
                if (work.Barrier is not null) work.Barrier.TrySetResult();
                else if (work.States is null) Scan();
                else await ApplyAsync(work.Session!, work.States).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { return; }
            catch (DreamException e) when (e.ErrorId is SyncErrors.UnsafePath or "SyncChunkMismatch" && work.Session is not null)
            {
                OnProblem?.Invoke($"{work.Session.Label}: {e.Message}");
                work.Session.Violated(e.ErrorId, e.Message);
            }
            catch (Exception e) when (e is IOException or DreamException or UnauthorizedAccessException or TimeoutException or OperationCanceledException)
            {
                // A dropped link or a busy file: what was not applied is asked for again on the next link, from the last applied sequence.
                OnProblem?.Invoke($"Portal {Record.ShortId}: {e.Message}");
            }
            finally
            {
                Interlocked.Exchange(ref _busy, 0);
            }
        }
    }

    private void Scan()
    {
        if (!Directory.Exists(Record.Path))
        {
            OnProblem?.Invoke($"The folder of portal '{Record.Name}' ('{Record.Path}') is missing; nothing is synced until it is back.");
            return;
        }
        var result = FolderScanner.Scan(Record.Path, _index, _deviceId, IgnorePatterns.Load(Record.Path), null, _stopping.Token);
        _lastScan = DateTimeOffset.UtcNow;
        if (result.Changed + result.Deleted > 0) IndexChanged?.Invoke();
        List<(PortalSession, SyncFileState)> retry;
        lock (_deferred) { retry = [.. _deferred]; _deferred.Clear(); }
        foreach (var group in retry.GroupBy(r => r.Item1))
            if (group.Key.IsOpen) Enqueue(group.Key, group.Select(g => g.Item2).ToList());
    }

    private async Task ApplyAsync(PortalSession session, IReadOnlyList<SyncFileState> states)
    {
        if (!session.IsOpen) return;
        var applier = new SyncApplier(Record.Path, _index, _deviceId, IgnorePatterns.Load(Record.Path), _chunkCache);
        var result = await applier.ApplyAsync(states, session.Source, _stopping.Token).ConfigureAwait(false);
        Interlocked.Add(ref _filesReceived, result.FilesReceived);
        Interlocked.Add(ref _bytesReceived, result.BytesFetched);
        Interlocked.Add(ref _deleted, result.Deleted);
        Interlocked.Add(ref _chunksReused, result.ChunksReused);
        Interlocked.Add(ref _bytesReused, result.BytesReused);
        Interlocked.Add(ref _conflicts, result.Conflicts);
        var deferred = states.Where(s => result.Deferred.Contains(s.Path)).ToList();
        if (deferred.Count > 0)
        {
            lock (_deferred) _deferred.AddRange(deferred.Select(d => (session, d)));
            RequestScan();
        }
        var applied = deferred.Count > 0 ? Math.Min(states.Max(s => s.Sequence), deferred.Min(d => d.Sequence) - 1) : states.Max(s => s.Sequence);
        if (applied > AppliedFrom(session.PeerQuantumId)) _index.SetMeta("peer:" + session.PeerQuantumId, applied.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (result.FilesReceived + result.Deleted + result.Conflicts > 0) IndexChanged?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        if (_watcher is not null) { _watcher.EnableRaisingEvents = false; _watcher.Dispose(); }
        await _debounce.DisposeAsync().ConfigureAwait(false);
        await _rescan.DisposeAsync().ConfigureAwait(false);
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _index.Dispose();
        lock (_readGate) _readIndex.Dispose();
    }
}
