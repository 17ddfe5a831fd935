using Dreamwell.Sync;
using Dreamwell.Tests.Node;

namespace Dreamwell.Tests.Sync;

/// <summary>Index entries of large files span frames (found by PortalProcessTests: a 48 MiB file was never announced, and stalled its portal).</summary>
public sealed class PortalWireTests
{
    private static readonly byte[] Share = new byte[ShareKey.ShareIdBytes];

    private static SyncFileState Large(string path, int chunks) => new(path, chunks * 8192L, 0x1A4, 1_700_000_000_000_000_000, false,
        VersionVector.Empty.Update("aaaaaaaaaaaaaaaa"), [.. Enumerable.Range(0, chunks).Select(i => new SyncChunk(i * 8192L, 8192, Blake3Hash.Hex(BitConverter.GetBytes(i))))], 7);

    [Fact]
    public void A_file_with_more_chunks_than_a_frame_holds_is_announced_in_pieces_and_joined_whole()
    {
        var small = Large("a.txt", 1);
        var big = Large("photos/big.raw", 32 * 1024); // 256 MiB at the average chunk size
        var frames = PortalWire.EncodeIndex(Share, [small, big, small with { Path = "z.txt" }]).ToList();

        Assert.True(frames.Count > 10);
        Assert.All(frames, f => Assert.True(f.Length <= PortalWire.MaxFrameBytes));
        var assembler = new IndexAssembler();
        var states = frames.SelectMany(f => assembler.Add(PortalWire.DecodeIndex(f).Pieces)).ToList();

        Assert.Equal(["a.txt", "photos/big.raw", "z.txt"], states.Select(s => s.Path));
        Assert.Equal(big.Chunks, states[1].Chunks);
        Assert.Equal(big.Size, states[1].Size);
        Assert.Equal(big.Version, states[1].Version);
    }

    [Fact]
    public void A_piece_that_does_not_continue_the_entry_before_it_is_refused()
    {
        var frames = PortalWire.EncodeIndex(Share, [Large("big.bin", 4000)]).ToList();
        var other = PortalWire.EncodeIndex(Share, [Large("other.bin", 1)]).Single();
        var assembler = new IndexAssembler();
        Assert.Empty(assembler.Add(PortalWire.DecodeIndex(frames[0]).Pieces));

        var refused = Assert.Throws<DreamException>(() => assembler.Add(PortalWire.DecodeIndex(other).Pieces));
        Assert.Contains("does not continue", refused.Message);
    }

    [Fact]
    public void Chunks_that_do_not_add_up_to_the_size_are_refused_when_the_entry_completes()
    {
        var lying = Large("big.bin", 3000) with { Size = 3000 * 8192L + 1 };
        var assembler = new IndexAssembler();
        Assert.Throws<DreamException>(() => PortalWire.EncodeIndex(Share, [lying]).SelectMany(f => assembler.Add(PortalWire.DecodeIndex(f).Pieces)).ToList());
    }

    [Fact]
    public async Task A_late_answer_to_an_abandoned_chunk_request_is_dropped_but_an_answer_to_none_is_a_violation()
    {
        // Found by the crash test soak: one missing chunk failed an apply, the batch's other fetches were abandoned, their
        // honest answers arrived "not in flight", and the peer was reported as misbehaving and cut off, again and again.
        var sent = new List<int>();
        var chunks = new RemoteChunks("peer", (id, _, _, _) => { lock (sent) sent.Add(id); return Task.CompletedTask; });
        using var giveUp = new CancellationTokenSource();
        var fetch = chunks.FetchAsync(new string('0', 64), 4, giveUp.Token);
        await Poll.UntilAsync(() => { lock (sent) return sent.Count == 1; }, "the request to leave (requests are sent on the next turn, together)");
        giveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);

        chunks.OnPiece(sent.Single(), 0, 4, new byte[4]);
        Assert.Throws<DreamException>(() => chunks.OnPiece(sent.Single() + 1, 0, 4, new byte[4]));
    }
}
