namespace Dreamwell.Sync;

/// <summary>
/// Up to which local sequence a peer has had our index entries. An announcement takes a position, sends the page after
/// it, then advances; a rewind (the peer asked for everything after its "applied from" mark again) may come in while a
/// page is on its way, and must win: the page's end moving the cursor forward again would skip what the peer asked for,
/// and it would never be sent (the peer holds its mark below it and waits).
/// </summary>
internal sealed class AnnounceCursor
{
    private readonly object _gate = new();
    private long _sentUpTo;
    private long _rewinds;

    /// <summary>Where the next page starts, and a token that <see cref="Advance"/> checks.</summary>
    public (long From, long Token) Take()
    {
        lock (_gate) return (_sentUpTo, _rewinds);
    }

    /// <summary>The page after the position of <paramref name="token"/> was sent up to <paramref name="sequence"/>; ignored when a rewind came in meanwhile.</summary>
    public bool Advance(long token, long sequence)
    {
        lock (_gate)
        {
            if (token != _rewinds) return false;
            _sentUpTo = sequence;
            return true;
        }
    }

    public void Rewind(long since)
    {
        lock (_gate)
        {
            _sentUpTo = Math.Max(0, since);
            _rewinds++;
        }
    }
}
