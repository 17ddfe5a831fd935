using System.Text.Json;
using Dreamwell.Node;

namespace Dreamwell.Sync;

/// <summary>
/// One portal shared over one peer link: what we have announced to the peer so far, and the chunk requests we have
/// in flight to it. Ends with its link.
/// </summary>
internal sealed class PortalSession : ISharedFolderSession
{
    private readonly PeerLink _link;
    private readonly RemoteChunks _chunks;
    private readonly SemaphoreSlim _announcing = new(1, 1);
    private readonly IndexAssembler _assembler = new();
    private readonly AnnounceCursor _cursor = new();
    private readonly LinkAnswers _answers;
    private volatile bool _closed;

    public PortalSession(PeerLink link, PortalWorker worker)
    {
        _link = link;
        _answers = new LinkAnswers(link);
        Worker = worker;
        _chunks = new RemoteChunks(link.Label, (wants, token) => SendAsync(WantsMessage(worker.Record.Id, wants), token));
    }

    /// <summary>The portal-wants message for a batch of chunk requests (at most <see cref="RemoteChunks.MaxPerMessage"/>).</summary>
    public static object WantsMessage(string share, IReadOnlyList<ChunkWant> wants) =>
        new { type = PortalService.Wants, share, wants = wants.Select(w => new { id = w.Id, hash = w.Hash, size = w.Size }) };

    public PortalWorker Worker { get; }
    public IChunkSource Source => _chunks;
    public string PeerQuantumId => _link.QuantumId;
    public string Label => _link.Label;
    public bool IsOpen => !_closed && _link.IsOpen;
    public byte[] ShareId => Convert.FromHexString(Worker.Record.Id);

    /// <summary>
    /// <see cref="AnnounceAsync"/> on the thread pool, bounded to a minute (what is left goes with the next one): never on
    /// the link's receive loop, for the reason given at <see cref="LinkAnswers"/>.
    /// </summary>
    public void AnnounceInBackground() => _ = Task.Run(async () =>
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await AnnounceAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or DreamException or OperationCanceledException or ObjectDisposedException) { }
    });

    /// <summary>Sends every index entry the peer has not had from us yet, in pages.</summary>
    public async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        await _announcing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (IsOpen)
            {
                var (from, token) = _cursor.Take();
                var page = Worker.Page(from, 2000);
                if (page.Count == 0) return;
                var news = page.Where(state => !_fromPeer.TryRemove(Echo(state), out _)).ToList();
                foreach (var frame in PortalWire.EncodeIndex(ShareId, news))
                    await _link.SendAsync(frame, cancellationToken).ConfigureAwait(false);
                Worker.CountAnnounced(page.Count);
                _cursor.Advance(token, page[^1].Sequence);
            }
        }
        finally
        {
            _announcing.Release();
        }
    }

    /// <summary>
    /// States taken from this peer, until our index announces them back: the peer holds them already (same path,
    /// version and size), so they are not sent again. A first sync of 10,000 files otherwise echoes 10,000 entries (a
    /// large file's alone is over a megabyte) and the peer checks each one. Per session: after a reconnect everything
    /// is announced as usual.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _fromPeer = new(StringComparer.Ordinal);

    private static string Echo(SyncFileState state) => $"{state.Path}\0{state.Version}\0{state.Size}\0{(state.Deleted ? 1 : 0)}";

    /// <summary>The peer's states that were applied here as they are (called by the worker after an apply).</summary>
    public void TookFromPeer(IEnumerable<SyncFileState> states)
    {
        foreach (var state in states) _fromPeer.TryAdd(Echo(state), 0);
    }

    /// <summary>Whole states from the pieces of an index frame (a large file's entry spans several frames).</summary>
    public IReadOnlyList<SyncFileState> Assemble(IReadOnlyList<PortalWire.IndexPiece> pieces) => _assembler.Add(pieces);

    /// <summary>
    /// Asks the peer to announce its index again after <paramref name="since"/>: a member repeats its join, an owner its
    /// welcome (both make the other side rewind and announce).
    /// </summary>
    public Task AskToAnnounceAgainAsync(long since, CancellationToken cancellationToken) =>
        Worker.Record.Role == PortalRecord.Member
            ? SendAsync(new { type = PortalService.Join, share = Worker.Record.Id, proof = PortalService.JoinProof(Worker.Record.ParsedKey, _link.Node.QuantumId), since }, cancellationToken)
            : SendAsync(new { type = PortalService.Welcome, share = Worker.Record.Id, since }, cancellationToken);

    /// <summary>The peer asked for our index from a sequence (it has applied everything before it).</summary>
    public void Rewind(long since) => _cursor.Rewind(since);

    public Task SendAsync(object message, CancellationToken cancellationToken) =>
        _link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), cancellationToken);

    public Task SendFrameAsync(byte[] frame, CancellationToken cancellationToken) => _link.SendAsync(frame, cancellationToken);

    /// <summary>Queues the peer's chunk requests; they are answered in order, off the receive loop (<see cref="LinkAnswers"/>).</summary>
    public ValueTask AskedAsync(IReadOnlyList<ChunkWant> wants, bool packed, CancellationToken cancellationToken) =>
        _answers.QueueAsync(packed ? token => AnswerPackedAsync(wants, token) : token => AnswerEachAsync(wants, token), cancellationToken);

    private async Task AnswerEachAsync(IReadOnlyList<ChunkWant> wants, CancellationToken cancellationToken)
    {
        foreach (var want in wants) await AnswerOneAsync(want, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a portal-want: the chunk as 0x51 pieces, or portal-nochunk.</summary>
    private async Task AnswerOneAsync(ChunkWant want, CancellationToken cancellationToken)
    {
        var bytes = Worker.ReadChunk(want.Hash, want.Size);
        if (bytes is null) await SendAsync(NoChunkMessage(want.Id), cancellationToken).ConfigureAwait(false);
        else foreach (var frame in PortalWire.EncodeChunk(ShareId, want.Id, bytes)) await SendFrameAsync(frame, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a portal-wants: the chunks packed into 0x52 frames (one chunk in memory at a time), portal-nochunk for the missing.</summary>
    private async Task AnswerPackedAsync(IReadOnlyList<ChunkWant> wants, CancellationToken cancellationToken)
    {
        var packer = new PortalWire.ChunksPacker(ShareId);
        foreach (var want in wants)
        {
            var bytes = Worker.ReadChunk(want.Hash, want.Size);
            if (bytes is null) await SendAsync(NoChunkMessage(want.Id), cancellationToken).ConfigureAwait(false);
            else foreach (var frame in packer.Add(want.Id, bytes)) await SendFrameAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        if (packer.Flush() is { } last) await SendFrameAsync(last, cancellationToken).ConfigureAwait(false);
    }

    private object NoChunkMessage(int id) => new { type = PortalService.NoChunk, share = Worker.Record.Id, id };

    public void OnChunkPiece(int requestId, int offset, int total, ReadOnlyMemory<byte> bytes) => _chunks.OnPiece(requestId, offset, total, bytes);

    public void OnNoChunk(int requestId) => _chunks.OnNone(requestId);

    public void Violated(string errorId, string message)
    {
        _link.Node.Misbehaved(_link.QuantumId, _link.Address, errorId, message);
        _ = _link.DisconnectAsync($"{errorId}: {message}");
    }

    public void Close()
    {
        _closed = true;
        _answers.Close();
        _chunks.Close();
    }
}
