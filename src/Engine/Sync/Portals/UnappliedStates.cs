namespace Dreamwell.Sync;

/// <summary>
/// Per peer, the states it announced that are not applied here yet (their batch failed or was dropped with its link,
/// or the path was deferred), by path with the lowest such sequence. The persisted "applied from" mark stays below
/// every one of them, so a re-announcement from the mark (asked for after a failure, or on the next join) carries each
/// again. A state is settled when a later batch applies the same path at that sequence or a newer one.
/// One number per peer is not enough: a deferred path applied on retry must not release the hold of a failed batch
/// that is still outstanding (the next batch that applied moved the mark past it, and it was lost for good).
/// </summary>
internal sealed class UnappliedStates
{
    private readonly Dictionary<string, Dictionary<string, long>> _byPeer = [];

    /// <summary>States received from <paramref name="peer"/> and not applied; those at or below its current mark were applied before.</summary>
    public void NotApplied(string peer, IEnumerable<SyncFileState> states, long mark)
    {
        lock (_byPeer)
        {
            var outstanding = Outstanding(peer);
            foreach (var state in states)
                if (state.Sequence > mark) Hold(outstanding, state);
            if (outstanding.Count == 0) _byPeer.Remove(peer);
        }
    }

    /// <summary>
    /// A batch from <paramref name="peer"/> ran: its deferred paths stay outstanding, its other states settle what they
    /// cover. Returns how far the peer's mark may move: the batch's highest sequence, kept below anything outstanding.
    /// </summary>
    public long Applied(string peer, IReadOnlyList<SyncFileState> states, IEnumerable<string> deferredPaths, long mark)
    {
        var deferred = deferredPaths.ToHashSet(StringComparer.Ordinal);
        lock (_byPeer)
        {
            var outstanding = Outstanding(peer);
            foreach (var state in states)
            {
                if (deferred.Contains(state.Path)) { if (state.Sequence > mark) Hold(outstanding, state); }
                else if (outstanding.TryGetValue(state.Path, out var held) && held <= state.Sequence) outstanding.Remove(state.Path);
            }
            var applied = states.Count == 0 ? mark : states.Max(s => s.Sequence);
            if (outstanding.Count == 0) _byPeer.Remove(peer);
            else applied = Math.Min(applied, outstanding.Values.Min() - 1);
            return applied;
        }
    }

    /// <summary>The paths outstanding from a peer (for reports and tests).</summary>
    public IReadOnlyCollection<string> Paths(string peer)
    {
        lock (_byPeer) return _byPeer.TryGetValue(peer, out var outstanding) ? [.. outstanding.Keys] : [];
    }

    private Dictionary<string, long> Outstanding(string peer)
    {
        if (!_byPeer.TryGetValue(peer, out var outstanding)) _byPeer[peer] = outstanding = new(StringComparer.Ordinal);
        return outstanding;
    }

    private static void Hold(Dictionary<string, long> outstanding, SyncFileState state) =>
        outstanding[state.Path] = outstanding.TryGetValue(state.Path, out var held) ? Math.Min(held, state.Sequence) : state.Sequence;
}
