using Dreamwell.Node;

namespace Dreamwell.Sync;

/// <summary>
/// Keeps links to the owners of the folders this node follows (portal owners, signal publishers), as Syncthing keeps its
/// devices connected: every few seconds, and at once when asked, each owner without an open link is dialed at the
/// addresses from its key, one dial at a time.
/// </summary>
internal sealed class OwnerDialer : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly TesseractNode _node;
    private readonly Func<IEnumerable<(string QuantumId, IReadOnlyList<string> Addresses)>> _owners;
    private readonly Timer _timer;
    private int _dialing;

    public OwnerDialer(TesseractNode node, Func<IEnumerable<(string QuantumId, IReadOnlyList<string> Addresses)>> owners)
    {
        _node = node;
        _owners = owners;
        _timer = new Timer(_ => DialNow(), null, TimeSpan.FromMilliseconds(200), Interval);
    }

    public void DialNow() => _ = Task.Run(DialAsync);

    private async Task DialAsync()
    {
        if (Interlocked.Exchange(ref _dialing, 1) == 1) return;
        try
        {
            foreach (var owner in _owners().DistinctBy(o => o.QuantumId).Where(o => _node.FindLink(o.QuantumId) is null).ToList())
                foreach (var address in owner.Addresses)
                {
                    try
                    {
                        await _node.ConnectAsync(address, CancellationToken.None).ConfigureAwait(false);
                        break;
                    }
                    catch (DreamException) { /* next address; the next round tries again */ }
                }
        }
        catch (Exception e) when (e is DreamException or IOException or ObjectDisposedException) { }
        finally
        {
            Interlocked.Exchange(ref _dialing, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
