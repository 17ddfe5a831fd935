using Dreamwell.Sync;

namespace Dreamwell.Tests.Sync;

/// <summary>
/// One of two defects that leave the picture of the crash test soak failure (100 kills, seed 162969830: dozens of files
/// the owner deleted stayed on the member, both nodes connected, nothing deferred, no error): one "gap" number per peer
/// forgot a failed batch as soon as a deferred path was applied on retry, the next batch moved the "applied from" mark
/// past the failed states, and the peer, asked to announce again from the mark, never sent them.
/// </summary>
public sealed class UnappliedStatesTests
{
    private const string Peer = "aaaaaaaaaaaaaaaa";

    private static SyncFileState At(string path, long sequence) =>
        new(path, 0, 0, 0, true, VersionVector.Empty.Update(Peer), [], sequence);

    private static List<SyncFileState> Batch(long from, long to) => [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(s => At($"f{s}", s))];

    [Fact]
    public void A_deferred_path_applied_on_retry_does_not_release_a_failed_batch()
    {
        var unapplied = new UnappliedStates();
        var mark = unapplied.Applied(Peer, Batch(1, 100), deferredPaths: ["f50"], mark: 0);
        Assert.Equal(49, mark);

        unapplied.NotApplied(Peer, Batch(101, 200), mark); // a chunk the peer no longer had
        mark = Math.Max(mark, unapplied.Applied(Peer, [At("f50", 50)], [], mark)); // the deferred path, after the scan
        mark = Math.Max(mark, unapplied.Applied(Peer, Batch(201, 300), [], mark)); // the peer's next changes

        Assert.Equal(100, mark); // a re-announcement from here carries the failed batch again
        Assert.Contains("f101", unapplied.Paths(Peer));

        mark = Math.Max(mark, unapplied.Applied(Peer, Batch(101, 300), [], mark)); // that re-announcement applied
        Assert.Equal(300, mark);
        Assert.Empty(unapplied.Paths(Peer));
    }

    [Fact]
    public void A_failed_state_is_settled_by_a_newer_state_of_its_path_and_not_by_an_older_one()
    {
        var unapplied = new UnappliedStates();
        unapplied.NotApplied(Peer, [At("a", 10), At("b", 11)], mark: 9);

        Assert.Equal(8, unapplied.Applied(Peer, [At("a", 8)], [], mark: 9)); // stale: "a" still outstanding
        Assert.Equal(10, unapplied.Applied(Peer, [At("a", 12)], [], mark: 9)); // "a" changed again on the peer and arrived; "b" still out
        Assert.Equal(13, unapplied.Applied(Peer, [At("b", 13)], [], mark: 9));
        Assert.Empty(unapplied.Paths(Peer));
    }

    [Fact]
    public void States_at_or_below_the_mark_were_applied_before_and_do_not_hold_it()
    {
        var unapplied = new UnappliedStates();
        unapplied.NotApplied(Peer, Batch(250, 350), mark: 300); // a re-announcement that failed again

        Assert.Equal(300, unapplied.Applied(Peer, Batch(351, 400), [], mark: 300));
        Assert.DoesNotContain("f250", unapplied.Paths(Peer));
    }
}
