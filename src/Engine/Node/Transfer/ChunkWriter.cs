using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;

namespace Dreamwell.Node;

/// <summary>
/// Writes the verified chunks of one inbound transfer on a background task, in arrival order, so the receive loop
/// decrypts the next chunk while the disk takes this one. Whole aligned chunks go through an <see cref="UncachedFile"/>
/// handle when the file system has one; the rest (and everything, where it has none) through the data handle. A chunk
/// is reported written only once its bytes are in the file (the report may hash them further: it runs on the writer
/// task, off the receive loop). A few buffers circulate, which bounds the memory.
/// </summary>
internal sealed class ChunkWriter : IDisposable
{
    /// <summary>Called on the writer task, in write order, once a chunk's bytes are in the file.</summary>
    public delegate void ChunkWritten(int index, byte[] hash, ReadOnlySpan<byte> bytes);

    public const int BuffersInFlight = 4;

    private readonly SafeFileHandle _data;
    private SafeFileHandle? _uncached;
    private readonly ChunkWritten _written;
    private readonly Channel<AlignedBuffer> _free = Channel.CreateBounded<AlignedBuffer>(BuffersInFlight);
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task _loop;
    private Exception? _failure;

    private sealed record Pending(int Index, long Offset, AlignedBuffer Buffer, int Length, byte[] Hash);

    public ChunkWriter(SafeFileHandle data, string dataPath, ChunkWritten written)
    {
        _data = data;
        _written = written;
        _uncached = UncachedFile.TryOpenForWrite(dataPath);
        for (var i = 0; i < BuffersInFlight; i++)
        {
            _free.Writer.TryWrite(new AlignedBuffer(TransferWire.FileChunkSize));
        }
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>A buffer for the next chunk; waits while all of them are queued for the disk.</summary>
    public ValueTask<AlignedBuffer> RentAsync(CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        return _free.Reader.ReadAsync(cancellationToken);
    }

    /// <summary>Gives back a buffer whose chunk was not kept.</summary>
    public void Return(AlignedBuffer buffer) => _free.Writer.TryWrite(buffer);

    /// <summary>Queues a verified chunk; the buffer comes back to the pool once it is written.</summary>
    public void Write(int index, long offset, AlignedBuffer buffer, int length, byte[] hash)
    {
        ThrowIfFailed();
        if (!_pending.Writer.TryWrite(new Pending(index, offset, buffer, length, hash))) Return(buffer);
    }

    /// <summary>Waits until every queued chunk is in the file; throws the first write error.</summary>
    public async Task CompleteAsync()
    {
        _pending.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        ThrowIfFailed();
    }

    private async Task WriteLoopAsync()
    {
        await foreach (var chunk in _pending.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (_failure is not null) continue;
                WriteOne(chunk);
                _written(chunk.Index, chunk.Hash, chunk.Buffer.Span[..chunk.Length]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                _failure = e;
            }
            finally
            {
                Return(chunk.Buffer);
            }
        }
    }

    private void WriteOne(Pending chunk)
    {
        var bytes = chunk.Buffer.Span[..chunk.Length];
        if (_uncached is not null && UncachedFile.Fits(chunk.Offset, chunk.Length))
        {
            try
            {
                RandomAccess.Write(_uncached, bytes, chunk.Offset);
                return;
            }
            catch (IOException)
            {
                // A file system that opened the handle but refuses uncached writes: use the page cache from now on.
                _uncached.Dispose();
                _uncached = null;
            }
        }
        RandomAccess.Write(_data, bytes, chunk.Offset);
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null) throw new IOException($"Writing the received file failed: {_failure.Message}", _failure);
    }

    /// <summary>Stops taking chunks and lets queued ones finish (a resume re-verifies whatever the disk holds).</summary>
    public void Dispose()
    {
        _pending.Writer.TryComplete();
        try { _loop.Wait(TimeSpan.FromSeconds(30)); }
        catch (AggregateException) { /* recorded in _failure */ }
        _uncached?.Dispose();
    }
}
