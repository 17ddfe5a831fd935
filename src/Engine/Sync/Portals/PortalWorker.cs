namespace Dreamwell.Sync;

/// <summary>
/// A portal's folder worker: after a scan with changes, peers hear about them; index batches from peers are applied
/// one at a time (conflicts by <see cref="ConflictRule"/>); paths deferred because they were being edited are retried
/// after the next scan, and the sequence applied from a peer only advances past what is really applied.
/// </summary>
internal sealed class PortalWorker : FolderWorker
{
    private readonly List<(PortalSession Session, SyncFileState State)> _deferred = [];

    public PortalWorker(PortalRecord record, string stateFolder, string deviceId, TimeSpan rescanInterval, Action<string>? onProblem)
        : base(record.Path, stateFolder, deviceId, rescanInterval, onProblem)
    {
        Record = record;
        Start();
    }

    public PortalRecord Record { get; set; }

    /// <summary>Raised (on the worker thread) after the local index changed: peers should hear about it.</summary>
    public event Action? IndexChanged;

    private readonly Dictionary<PortalSession, List<SyncFileState>> _incoming = [];

    /// <summary>
    /// Queues a peer's states. Batches that arrive while an apply runs are merged into the next one, so a large index
    /// is applied in few, large batches (one index commit and one flush per folder each) instead of one per frame.
    /// </summary>
    public void Enqueue(PortalSession session, IReadOnlyList<SyncFileState> states)
    {
        lock (_incoming)
        {
            if (_incoming.TryGetValue(session, out var waiting)) { waiting.AddRange(states); return; }
            _incoming[session] = [.. states];
        }
        Post(async token =>
        {
            List<SyncFileState> batch;
            lock (_incoming) { batch = _incoming[session]; _incoming.Remove(session); }
            try { await ApplyAsync(session, batch, token).ConfigureAwait(false); }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                NotApplied(session, batch);
                throw;
            }
        }, e =>
        {
            if (e is DreamException { ErrorId: SyncErrors.UnsafePath or "SyncChunkMismatch" })
            {
                OnProblem?.Invoke($"{session.Label}: {e.Message}");
                session.Violated(((DreamException)e).ErrorId, e.Message);
            }
            else OnProblem?.Invoke($"Portal {Record.ShortId}: {e.Message}");
        });
    }

    /// <summary>What peers announced and is not applied here yet: the persisted "applied from" marks stay below it.</summary>
    private readonly UnappliedStates _unapplied = new();

    /// <summary>A batch failed (a chunk the peer no longer has, a dropped link): hold the mark and ask the peer to announce again from it.</summary>
    private void NotApplied(PortalSession session, List<SyncFileState> batch)
    {
        if (batch.Count == 0) return;
        _unapplied.NotApplied(session.PeerQuantumId, batch, AppliedFrom(session.PeerQuantumId));
        _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false); // the peer's newer states usually settle it meanwhile
            try { if (session.IsOpen) await session.AskToAnnounceAgainAsync(AppliedFrom(session.PeerQuantumId), CancellationToken.None).ConfigureAwait(false); }
            catch (Exception e) when (e is IOException or DreamException or ObjectDisposedException or OperationCanceledException) { }
        });
    }

    public long AppliedFrom(string peer) => long.TryParse(ReadMeta("peer:" + peer), out var s) ? s : 0;

    public void CountAnnounced(int entries) => Interlocked.Add(ref Counters.Announced, entries);

    public PortalSyncReport Report(int connectedPeers)
    {
        var totals = Totals();
        List<string> deferred;
        lock (_deferred) deferred = _deferred.Select(d => d.State.Path).Distinct().ToList();
        var c = Counters;
        return new PortalSyncReport(Record.Id, Record.Name, Record.Path, connectedPeers, Interlocked.Read(ref c.FilesReceived), Interlocked.Read(ref c.BytesReceived),
            Interlocked.Read(ref c.Deleted), Interlocked.Read(ref c.Announced), Interlocked.Read(ref c.BytesSent), Interlocked.Read(ref c.ChunksReused),
            Interlocked.Read(ref c.BytesReused), Interlocked.Read(ref c.Conflicts), totals.Files, totals.Bytes, deferred, LastScan);
    }

    /// <summary>Peers start pulling the first files of a large new folder while the rest is still being hashed.</summary>
    protected override Action? ScanPortionCommitted => () => IndexChanged?.Invoke();

    protected override void Scanned(ScanResult result)
    {
        if (result.Changed + result.Deleted > 0) IndexChanged?.Invoke();
        List<(PortalSession, SyncFileState)> retry;
        lock (_deferred) { retry = [.. _deferred]; _deferred.Clear(); }
        foreach (var group in retry.GroupBy(r => r.Item1))
            if (group.Key.IsOpen) Enqueue(group.Key, group.Select(g => g.Item2).ToList());
    }

    private async Task ApplyAsync(PortalSession session, IReadOnlyList<SyncFileState> states, CancellationToken cancellationToken)
    {
        if (!session.IsOpen) { _unapplied.NotApplied(session.PeerQuantumId, states, AppliedFrom(session.PeerQuantumId)); return; } // the next join re-announces them
        var applier = new SyncApplier(Folder, Index, DeviceId, IgnorePatterns.Load(Folder), ChunkCache);
        var result = await applier.ApplyAsync(states, session.Source, cancellationToken).ConfigureAwait(false);
        Counters.Add(result);
        var deferred = states.Where(s => result.Deferred.Contains(s.Path)).ToList();
        session.TookFromPeer(states.Where(s => !result.Deferred.Contains(s.Path)));
        if (deferred.Count > 0)
        {
            lock (_deferred) _deferred.AddRange(deferred.Select(d => (session, d)));
            RequestScan();
        }
        var applied = _unapplied.Applied(session.PeerQuantumId, states, result.Deferred, AppliedFrom(session.PeerQuantumId));
        if (applied > AppliedFrom(session.PeerQuantumId)) Index.SetMeta("peer:" + session.PeerQuantumId, applied.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (result.FilesReceived + result.Deleted + result.Conflicts > 0) IndexChanged?.Invoke();
    }
}
