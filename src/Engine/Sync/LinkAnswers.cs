using System.Threading.Channels;
using Dreamwell.Node;

namespace Dreamwell.Sync;

/// <summary>
/// Answers a peer asked for that may send a lot (chunks, manifests), run in order by one task per share and link, never
/// on the link's receive loop: when both ends of a link send from their receive loops at once and neither reads, both
/// block for good once the socket buffers are full (two portals that met with large new indexes on both sides did,
/// `PortalLargeJoinTests`). At most <see cref="Capacity"/> answers wait, an honest peer's requests in flight
/// (<see cref="RemoteChunks.MaxInFlight"/>); only a peer that floods makes its receive loop wait for room.
/// </summary>
internal sealed class LinkAnswers(PeerLink link)
{
    public const int Capacity = RemoteChunks.MaxInFlight;

    private readonly Channel<Func<CancellationToken, Task>> _queue =
        Channel.CreateBounded<Func<CancellationToken, Task>>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _closing = new();
    private int _started;

    public async ValueTask QueueAsync(Func<CancellationToken, Task> answer, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0) _ = Task.Run(RunAsync);
        try { await _queue.Writer.WriteAsync(answer, cancellationToken).ConfigureAwait(false); }
        catch (ChannelClosedException) { } // closed with its link
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var answer in _queue.Reader.ReadAllAsync(_closing.Token).ConfigureAwait(false))
                await answer(_closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or DreamException or OperationCanceledException or ObjectDisposedException) { } // the link ended
        catch (Exception e)
        {
            _ = link.DisconnectAsync($"Answering the peer failed: {e.Message}"); // as a failing handler on the receive loop would; the peer redials
        }
    }

    public void Close()
    {
        _queue.Writer.TryComplete();
        _closing.Cancel();
    }
}
