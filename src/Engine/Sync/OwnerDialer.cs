using Dreamwell.Node;

namespace Dreamwell.Sync;

/// <summary>
/// Keeps links to the owners of the folders this node follows (portal owners, signal publishers), as Syncthing keeps its
/// devices connected: once the node has started and at once when asked, each owner without an open link is dialed at
/// the addresses from its key, one dial at a time. An owner that could not be reached is tried again soon (0.1 s,
/// doubling to every 5 s), so two nodes started together find each other as soon as both listen.
/// </summary>
internal sealed class OwnerDialer : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private readonly TesseractNode _node;
    private readonly Func<IEnumerable<(string QuantumId, IReadOnlyList<string> Addresses)>> _owners;
    private readonly Timer _timer;
    private TimeSpan _retry = FirstRetry;
    private int _dialing;

    public OwnerDialer(TesseractNode node, Func<IEnumerable<(string QuantumId, IReadOnlyList<string> Addresses)>> owners)
    {
        _node = node;
        _owners = owners;
        _timer = new Timer(_ => DialNow(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Starts dialing; called once the node's services are all attached (a link may come up at once).</summary>
    public void Start() => DialNow();

    public void DialNow() => _ = Task.Run(DialAsync);

    private async Task DialAsync()
    {
        if (Interlocked.Exchange(ref _dialing, 1) == 1) return;
        var unreachable = false;
        try
        {
            foreach (var owner in Unlinked())
            {
                foreach (var address in owner.Addresses)
                {
                    try
                    {
                        await _node.ConnectAsync(address, CancellationToken.None).ConfigureAwait(false);
                        break;
                    }
                    catch (DreamException) { /* next address; the next round tries again */ }
                }
                unreachable |= _node.FindLink(owner.QuantumId) is null;
            }
        }
        catch (Exception e) when (e is DreamException or IOException or ObjectDisposedException) { unreachable = true; }
        finally
        {
            Interlocked.Exchange(ref _dialing, 0);
            ScheduleNext(unreachable);
        }
    }

    private List<(string QuantumId, IReadOnlyList<string> Addresses)> Unlinked() =>
        _owners().DistinctBy(o => o.QuantumId).Where(o => _node.FindLink(o.QuantumId) is null).ToList();

    private void ScheduleNext(bool unreachable)
    {
        TimeSpan next;
        lock (_timer)
        {
            next = unreachable ? _retry : Interval;
            _retry = unreachable ? TimeSpan.FromTicks(Math.Min(_retry.Ticks * 2, Interval.Ticks)) : FirstRetry;
        }
        try { _timer.Change(next, Timeout.InfiniteTimeSpan); }
        catch (ObjectDisposedException) { } // the node stopped
    }

    public void Dispose() => _timer.Dispose();
}
