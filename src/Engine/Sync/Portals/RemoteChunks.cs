using System.Collections.Concurrent;
using Dreamwell.Node;

namespace Dreamwell.Sync;

/// <summary>
/// Chunk requests in flight to one peer over one link: each request has an id, its answer arrives as one or more
/// pieces (binary frames) in order, or as a "none" message. Ends (failing what is pending) when the link ends.
/// Used by portals and signals alike.
/// </summary>
internal sealed class RemoteChunks(string peerLabel, Func<int, string, int, CancellationToken, Task> sendRequest) : IChunkSource
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    public const int MaxInFlight = 256;

    private readonly ConcurrentDictionary<int, Pending> _pending = new();
    private int _nextRequest;
    private volatile bool _closed;

    public async Task<byte[]> FetchAsync(string hash, int size, CancellationToken cancellationToken)
    {
        if (_closed) throw new IOException($"The link to {peerLabel} is closed.");
        if (_pending.Count >= MaxInFlight) throw new IOException($"Too many chunk requests in flight to {peerLabel}.");
        var id = Interlocked.Increment(ref _nextRequest);
        var pending = new Pending(new byte[size]);
        _pending[id] = pending;
        try
        {
            await sendRequest(id, hash, size, cancellationToken).WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
            return await pending.Done.Task.WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
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
            pending.Done.TrySetException(new IOException($"{peerLabel} does not have that chunk (any more)."));
    }

    public void Close()
    {
        _closed = true;
        foreach (var id in _pending.Keys)
            if (_pending.TryRemove(id, out var pending))
                pending.Done.TrySetException(new IOException($"The link to {peerLabel} closed."));
    }

    private sealed class Pending(byte[] buffer)
    {
        public byte[] Buffer { get; } = buffer;
        public int Received { get; set; }
        public TaskCompletionSource<byte[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
