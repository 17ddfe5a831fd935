using System.Collections.Concurrent;
using Dreamwell.Node;

namespace Dreamwell.Sync;

/// <summary>One chunk asked of a peer: the request id its answer will carry, the chunk's hash and size.</summary>
internal readonly record struct ChunkWant(int Id, string Hash, int Size);

/// <summary>
/// Chunk requests in flight to one peer over one link: each request has an id, its answer arrives as one or more
/// pieces (binary frames) in order, or as a "none" message. Requests made while an earlier send is still going out
/// leave together in one message (a first sync of many small files asks for thousands of chunks; one message each
/// cost a round of encryption, framing and parsing per chunk on both sides). Ends (failing what is pending) when the
/// link ends. Used by portals and signals alike.
/// </summary>
internal sealed class RemoteChunks : IChunkSource
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    public const int MaxInFlight = 256;

    /// <summary>Most requests in one message: at most ~107 bytes of JSON each, 128 of them stay under the 16 KiB FQTP message limit.</summary>
    public const int MaxPerMessage = 128;

    private const int BusyWhenInFlight = 64;
    private readonly string _peerLabel;
    private readonly Func<IReadOnlyList<ChunkWant>, CancellationToken, Task> _send;
    private readonly ConcurrentDictionary<int, Pending> _pending = new();
    private readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);
    private readonly Queue<ChunkWant> _unsent = new();
    private bool _pumping;
    private int _nextRequest;
    private volatile bool _closed;

    /// <summary>A peer that takes many requests per message.</summary>
    public RemoteChunks(string peerLabel, Func<IReadOnlyList<ChunkWant>, CancellationToken, Task> sendRequests)
    {
        _peerLabel = peerLabel;
        _send = sendRequests;
    }

    /// <summary>A peer that takes one request per message.</summary>
    public RemoteChunks(string peerLabel, Func<int, string, int, CancellationToken, Task> sendRequest)
        : this(peerLabel, async (wants, token) =>
        {
            foreach (var want in wants) await sendRequest(want.Id, want.Hash, want.Size, token).ConfigureAwait(false);
        })
    {
    }

    public async Task<byte[]> FetchAsync(string hash, int size, CancellationToken cancellationToken)
    {
        if (_closed) throw new IOException($"The link to {_peerLabel} is closed.");
        // Many files are built at once, each asking ahead: beyond the bound, a request waits for a slot (not an error).
        if (!await _slots.WaitAsync(Timeout, cancellationToken).ConfigureAwait(false))
            throw new TimeoutException($"No answer from {_peerLabel} to {MaxInFlight} chunk requests in {Timeout.TotalSeconds:0} s.");
        var id = Interlocked.Increment(ref _nextRequest);
        var pending = new Pending(new byte[size]);
        _pending[id] = pending;
        try
        {
            if (_closed) throw new IOException($"The link to {_peerLabel} is closed.");
            lock (_unsent) _unsent.Enqueue(new ChunkWant(id, hash, size));
            _ = PumpAsync();
            return await pending.Done.Task.WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
            _slots.Release();
        }
    }

    /// <summary>Sends what is queued, as few messages as possible, one send at a time; requests given up meanwhile are left out.</summary>
    private async Task PumpAsync()
    {
        lock (_unsent)
        {
            if (_pumping) return;
            _pumping = true;
        }
        await Task.Yield(); // let the requests being made right now (the rest of a file, other files) join this message
        // While the peer still has plenty to answer, a moment's wait costs nothing and gathers a fuller message.
        if (_pending.Count > BusyWhenInFlight) await Task.Delay(2).ConfigureAwait(false);
        while (true)
        {
            var batch = new List<ChunkWant>();
            lock (_unsent)
            {
                while (batch.Count < MaxPerMessage && _unsent.TryDequeue(out var want))
                    if (_pending.ContainsKey(want.Id)) batch.Add(want);
                if (batch.Count == 0)
                {
                    _pumping = false;
                    return;
                }
            }
            try
            {
                using var timeout = new CancellationTokenSource(Timeout);
                await _send(batch, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                foreach (var want in batch)
                    if (_pending.TryRemove(want.Id, out var failed)) failed.Done.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// A piece of an answer; a piece for a request never made, out of order or of the wrong size is a protocol violation.
    /// A piece for a request we gave up on (its apply failed or was cancelled: the other fetches of the batch stop too)
    /// is dropped: the peer answered honestly, just late.
    /// </summary>
    public void OnPiece(int requestId, int offset, int total, ReadOnlyMemory<byte> bytes)
    {
        if (requestId <= 0 || requestId > Volatile.Read(ref _nextRequest))
            throw FqtpMessages.Violation($"A chunk piece for request {requestId}, which was never made.");
        if (!_pending.TryGetValue(requestId, out var pending)) return;
        lock (pending)
        {
            if (total != pending.Buffer.Length || offset != pending.Received)
                throw FqtpMessages.Violation("A chunk piece out of order or of the wrong size.");
            bytes.CopyTo(pending.Buffer.AsMemory(offset));
            pending.Received += bytes.Length;
            if (pending.Received == pending.Buffer.Length && _pending.TryRemove(requestId, out _)) pending.Done.TrySetResult(pending.Buffer);
        }
    }

    public void OnNone(int requestId)
    {
        if (_pending.TryRemove(requestId, out var pending))
            pending.Done.TrySetException(new IOException($"{_peerLabel} does not have that chunk (any more)."));
    }

    public void Close()
    {
        _closed = true;
        foreach (var id in _pending.Keys)
            if (_pending.TryRemove(id, out var pending))
                pending.Done.TrySetException(new IOException($"The link to {_peerLabel} closed."));
    }

    private sealed class Pending(byte[] buffer)
    {
        public byte[] Buffer { get; } = buffer;
        public int Received { get; set; }
        public TaskCompletionSource<byte[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
