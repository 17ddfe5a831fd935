using System.Collections.Concurrent;
using Dreamwell.Node;

namespace Dreamwell.Sync;

/// <summary>One share (portal or signal) over one link, as <see cref="SharedFolderService{TWorker,TSession}"/> keeps it.</summary>
internal interface ISharedFolderSession
{
    /// <summary>Gives up what is in flight on this link for this share (its chunk requests fail over or are dropped).</summary>
    void Close();
}

/// <summary>
/// What portals and signals share on a running node: one folder worker per share id, one session per (link, share),
/// the dialer that keeps owners or publishers in reach, and the bookkeeping when a link goes down, a share leaves the
/// registry or the node stops.
/// </summary>
internal abstract class SharedFolderService<TWorker, TSession>(TesseractNode node) : PeerService
    where TWorker : FolderWorker
    where TSession : class, ISharedFolderSession
{
    protected TesseractNode Node { get; } = node;
    protected ConcurrentDictionary<string, TWorker> Workers { get; } = new();
    protected ConcurrentDictionary<(PeerLink Link, string Share), TSession> LinkSessions { get; } = new();
    protected object ReloadGate { get; } = new();
    protected OwnerDialer? Dialer { get; set; }

    public override void LinkDown(PeerLink link, string reason)
    {
        foreach (var key in LinkSessions.Keys.Where(k => k.Link == link).ToList())
            if (LinkSessions.TryRemove(key, out var session)) session.Close();
    }

    public override void Started() => Dialer?.Start();

    public override void Stopped()
    {
        Dialer?.Dispose();
        foreach (var session in LinkSessions.Values) session.Close();
        foreach (var worker in Workers.Values) worker.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        Workers.Clear();
    }

    /// <summary>Stops the workers of shares no longer in the registry and closes their sessions (call under <see cref="ReloadGate"/>).</summary>
    protected void ForgetAllBut(IEnumerable<string> registered)
    {
        foreach (var gone in Workers.Keys.Except(registered).ToList())
            if (Workers.TryRemove(gone, out var worker))
            {
                foreach (var key in LinkSessions.Keys.Where(k => k.Share == gone).ToList())
                    if (LinkSessions.TryRemove(key, out var session)) session.Close();
                worker.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
            }
    }
}
