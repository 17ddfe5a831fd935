using System.Collections.Concurrent;
using System.Text.Json;
using Dreamwell.Node;

namespace Dreamwell.Sync;

/// <summary>
/// One portal shared over one peer link: what we have announced to the peer so far, and the chunk requests we have
/// in flight to it. Ends with its link.
/// </summary>
internal sealed class PortalSession
{
    private static readonly TimeSpan ChunkTimeout = TimeSpan.FromSeconds(30);
    private readonly PeerLink _link;
    private readonly ConcurrentDictionary<int, PendingChunk> _pending = new();
    private readonly SemaphoreSlim _announcing = new(1, 1);
    private int _nextRequest;
    private long _sentUpTo;
    private volatile bool _closed;

    public PortalSession(PeerLink link, PortalWorker worker)
    {
        _link = link;
        Worker = worker;
        Source = new PeerChunkSource(this);
    }

    public PortalWorker Worker { get; }
    public IChunkSource Source { get; }
    public string PeerQuantumId => _link.QuantumId;
    public string Label => _link.Label;
    public bool IsOpen => !_closed && _link.IsOpen;
    public byte[] ShareId => Convert.FromHexString(Worker.Record.Id);

    /// <summary>Sends every index entry the peer has not had from us yet, in pages.</summary>
    public async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        await _announcing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (IsOpen)
            {
                var page = Worker.Page(Interlocked.Read(ref _sentUpTo), 2000);
                if (page.Count == 0) return;
                foreach (var frame in PortalWire.EncodeIndex(ShareId, page))
                    await _link.SendAsync(frame, cancellationToken).ConfigureAwait(false);
                Worker.CountAnnounced(page.Count);
                Interlocked.Exchange(ref _sentUpTo, page[^1].Sequence);
            }
        }
        finally
        {
            _announcing.Release();
        }
    }

    /// <summary>The peer asked for our index from a sequence (it has applied everything before it).</summary>
    public void Rewind(long since) => Interlocked.Exchange(ref _sentUpTo, Math.Max(0, since));

    public Task SendAsync(object message, CancellationToken cancellationToken) =>
        _link.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), cancellationToken);

    public Task SendFrameAsync(byte[] frame, CancellationToken cancellationToken) => _link.SendAsync(frame, cancellationToken);

    public void OnChunkPiece(int requestId, int offset, int total, ReadOnlyMemory<byte> bytes)
    {
        if (!_pending.TryGetValue(requestId, out var pending))
            throw FqtpMessages.Violation($"A chunk piece for request {requestId}, which is not in flight.");
        if (total != pending.Buffer.Length || offset != pending.Received)
            throw FqtpMessages.Violation("A chunk piece out of order or of the wrong size.");
        bytes.CopyTo(pending.Buffer.AsMemory(offset));
        pending.Received += bytes.Length;
        if (pending.Received == pending.Buffer.Length && _pending.TryRemove(requestId, out _)) pending.Done.TrySetResult(pending.Buffer);
    }

    public void OnNoChunk(int requestId)
    {
        if (_pending.TryRemove(requestId, out var pending))
            pending.Done.TrySetException(new IOException($"{Label} does not have that chunk (any more)."));
    }

    public void Violated(string errorId, string message)
    {
        _link.Node.Misbehaved(_link.QuantumId, _link.Address, errorId, message);
        _ = _link.DisconnectAsync($"{errorId}: {message}");
    }

    public void Close()
    {
        _closed = true;
        foreach (var id in _pending.Keys)
            if (_pending.TryRemove(id, out var pending))
                pending.Done.TrySetException(new IOException($"The link to {Label} closed."));
    }

    private async Task<byte[]> FetchAsync(string hash, int size, CancellationToken cancellationToken)
    {
        if (!IsOpen) throw new IOException($"The link to {Label} is closed.");
        var id = Interlocked.Increment(ref _nextRequest);
        var pending = new PendingChunk(new byte[size]);
        _pending[id] = pending;
        try
        {
            await SendAsync(new { type = PortalService.Want, share = Worker.Record.Id, id, hash, size }, cancellationToken).ConfigureAwait(false);
            return await pending.Done.Task.WaitAsync(ChunkTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private sealed class PendingChunk(byte[] buffer)
    {
        public byte[] Buffer { get; } = buffer;
        public int Received { get; set; }
        public TaskCompletionSource<byte[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class PeerChunkSource(PortalSession session) : IChunkSource
    {
        public Task<byte[]> FetchAsync(string hash, int size, CancellationToken cancellationToken) => session.FetchAsync(hash, size, cancellationToken);
    }
}
