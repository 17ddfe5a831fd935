using Dreamwell.Sync;

namespace Dreamwell.Tests.Sync;

/// <summary>
/// One of two defects that leave the picture of the crash test soak failure (100 kills, seed 162969830: no convergence,
/// both nodes connected, nothing deferred): a peer whose batch failed asked to have our index again from its mark, but an
/// announcement that was sending a page at that moment moved the cursor to the page's end afterwards, so what the peer
/// asked for was never sent again.
/// </summary>
public sealed class AnnounceCursorTests
{
    [Fact]
    public void A_rewind_that_comes_in_while_a_page_is_sent_is_not_undone_by_the_page_end()
    {
        var cursor = new AnnounceCursor();
        var (_, first) = cursor.Take();
        Assert.True(cursor.Advance(first, 500));

        var (from, sending) = cursor.Take();
        cursor.Rewind(99); // the peer's repeated join or welcome, while the page after 500 is on its way
        Assert.False(cursor.Advance(sending, 600));

        Assert.Equal(99, cursor.Take().From);
        Assert.Equal(500, from);
    }

    [Fact]
    public void Pages_advance_the_cursor_and_a_rewind_starts_from_the_peer_mark()
    {
        var cursor = new AnnounceCursor();
        var (from, token) = cursor.Take();
        Assert.Equal(0, from);
        cursor.Advance(token, 2000);
        (from, token) = cursor.Take();
        Assert.Equal(2000, from);
        cursor.Advance(token, 2500);

        cursor.Rewind(1200);
        (from, token) = cursor.Take();
        Assert.Equal(1200, from);
        Assert.True(cursor.Advance(token, 2500));
        Assert.Equal(2500, cursor.Take().From);
    }
}
