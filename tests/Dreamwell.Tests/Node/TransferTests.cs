using System.Buffers.Binary;
using Dreamwell.Content;
using Dreamwell.Node;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Node;

/// <summary>Content fetches and file sends between two real nodes on loopback: what arrives, what is refused, and the receipts.</summary>
public sealed class TransferTests
{
    [Fact]
    public async Task ObservingAPublishedFileFromAPeerGivesIdenticalBytesAndASecondFetchReusesTheChunks()
    {
        var (bob, alice) = await TransferSupport.ConnectedPairAsync("bob", "alice");
        await using var _ = alice;
        await using var __ = bob;
        var source = TransferSupport.RandomFile(alice.Temp, "report.bin", 700_000, 1);
        using (var store = ContentStore.Open(alice.Home)) store.Publish(source, "docs/report.bin");

        var client = TesseractClient.ForHome(bob.Home);
        var destination = bob.Temp.File("fetched.bin");
        var result = await client.InvokeAsync<ContentFetchResult>("fetch", new { peer = "alice", name = "docs/report.bin", destination }, TimeSpan.FromSeconds(60));

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(destination));
        Assert.Equal(Blake3Hash.ToHex(Blake3Hash.ComputeFile(source)), result.ContentHash);
        Assert.Equal(alice.Node.QuantumId, result.PeerQuantumId);
        Assert.Equal(result.ChunkCount, result.ChunksFetched);
        Assert.Equal(700_000, result.BytesFetched);
        Assert.Equal("Content.Fetch", result.Receipt.Operation);
        Assert.Equal(result.ContentHash, result.Receipt.OutputHash);
        Assert.Contains(ReceiptBook.Read(bob.Home), r => r.Operation == "Content.Fetch" && r.OutputHash == result.ContentHash);

        var again = await bob.Content().FetchAsync(alice.Node.QuantumId, "docs/report.bin", bob.Temp.File("again.bin"), overwrite: false, CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.Equal(0, again.ChunksFetched);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(bob.Temp.File("again.bin")));

        var small = await bob.Content().FetchAsync("alice", "docs/report.bin", null, false, CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.Equal(File.ReadAllBytes(source), small.Content);
    }

    [Fact]
    public async Task FetchingANameThePeerDoesNotPublishOrFromAPeerNotConnectedFailsClearly()
    {
        var (bob, alice) = await TransferSupport.ConnectedPairAsync("bob", "alice");
        await using var _ = alice;
        await using var __ = bob;

        var missing = await Assert.ThrowsAsync<DreamException>(() => bob.Content().FetchAsync("alice", "no/such.txt", bob.Temp.File("x"), false, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(TransferErrors.ContentNotFound, missing.ErrorId);
        Assert.Contains("no/such.txt", missing.Message);

        var stranger = await Assert.ThrowsAsync<DreamException>(() => bob.Content().FetchAsync("carol", "x.txt", bob.Temp.File("x"), false, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(TransferErrors.PeerNotConnected, stranger.ErrorId);
        Assert.False(File.Exists(bob.Temp.File("x")));
        Assert.True(bob.Node.FindLink("alice")!.IsOpen);
    }

    [Fact]
    public async Task SendingAFileOfSeveralMiBFilesItInTheInboxAndBothSidesHoldReceiptsWithTheSameHash()
    {
        var (alice, bob) = await TransferSupport.ConnectedPairAsync("alice", "bob");
        await using var _ = alice;
        await using var __ = bob;
        bob.Node.Friends.Add(alice.Node.QuantumId, "alice", null);
        var source = TransferSupport.RandomFile(alice.Temp, "video.bin", 5 * 1024 * 1024 + 12345, 2);

        var client = TesseractClient.ForHome(alice.Home);
        var result = await client.InvokeAsync<FileTransferResult>("send", new { path = source, target = "bob" }, TimeSpan.FromSeconds(60));

        var filed = TransferSupport.InboxFile(bob, "video.bin");
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(filed));
        var hash = Blake3Hash.ToHex(Blake3Hash.ComputeFile(source));
        Assert.Equal(hash, result.ContentHash);
        Assert.Equal(6, result.ChunkCount);
        Assert.Equal(6, result.ChunksSent);
        Assert.Equal(new FileInfo(source).Length, result.BytesSent);
        Assert.Equal("video.bin", result.StoredAs);

        Assert.Equal("Transfer.Send", result.Receipt.Operation);
        Assert.Equal(hash, result.Receipt.OutputHash);
        var received = Assert.Single(ReceiptBook.Read(bob.Home), r => r.Operation == "Transfer.Receive");
        Assert.Equal(hash, received.OutputHash);
        Assert.Equal(Path.GetFullPath(filed), received.Path);
        Assert.Equal(received.ChainIndex, result.PeerReceipt.ChainIndex);
        Assert.Equal(received.EntryHash, result.PeerReceipt.EntryHash);
        Assert.Equal(bob.Node.QuantumId, result.PeerReceipt.Signer);
        Assert.False(Directory.Exists(Path.Combine(InboxName.PartialFolder(bob.Home), result.TransferId)));

        // Sending it again never overwrites what the inbox holds.
        var second = await alice.Files().SendAsync(source, "bob", null, null, CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.Equal("video (1).bin", second.StoredAs);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(TransferSupport.InboxFile(bob, "video (1).bin")));
    }

    [Fact]
    public async Task ASendCutByAKilledLinkResumesWithFewerBytesOnTheWire()
    {
        var (alice, bob) = await TransferSupport.ConnectedPairAsync("alice", "bob");
        await using var _ = alice;
        await using var __ = bob;
        bob.Node.Friends.Add(alice.Node.QuantumId, "alice", null);
        const int size = 12 * 1024 * 1024 + 7;
        var source = TransferSupport.RandomFile(alice.Temp, "big.bin", size, 3);

        var killed = 0;
        var cut = new TransferSupport.Inline(p =>
        {
            if (p.Completed >= 5L * 1024 * 1024 && Interlocked.Exchange(ref killed, 1) == 0)
                alice.Node.FindLink("bob")!.DisconnectAsync("test: the cable was pulled").GetAwaiter().GetResult();
        });
        var error = await Assert.ThrowsAsync<DreamException>(() => alice.Files().SendAsync(source, "bob", null, cut, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(TransferErrors.TransferInterrupted, error.ErrorId);
        Assert.False(File.Exists(TransferSupport.InboxFile(bob, "big.bin")));
        var partial = Assert.Single(Directory.GetDirectories(InboxName.PartialFolder(bob.Home)));
        await Poll.UntilAsync(() => File.Exists(Path.Combine(partial, "chunks.log")) && File.ReadAllLines(Path.Combine(partial, "chunks.log")).Length >= 3, "bob to keep the chunks that arrived");

        await alice.Node.ConnectAsync(bob.PeerAddress, CancellationToken.None).WaitAsync(TestNode.Bound);
        var resumed = await alice.Files().SendAsync(source, "bob", null, null, CancellationToken.None).WaitAsync(TestNode.Bound);

        Assert.True(resumed.ChunksResumed >= 3, $"{resumed.ChunksResumed} chunks resumed");
        Assert.True(resumed.BytesSent < size, $"{resumed.BytesSent} bytes crossed the second time, of {size}");
        Assert.Equal(resumed.ChunkCount, resumed.ChunksSent + resumed.ChunksResumed);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(TransferSupport.InboxFile(bob, "big.bin")));
        Assert.Equal(Blake3Hash.ToHex(Blake3Hash.ComputeFile(source)), resumed.ContentHash);
        Assert.Empty(Directory.GetDirectories(InboxName.PartialFolder(bob.Home)));
    }

    [Fact]
    public async Task APartialTransferAbandonedForAWeekIsRemovedByTheNextOffer()
    {
        var (alice, bob) = await TransferSupport.ConnectedPairAsync("alice", "bob");
        await using var _ = alice;
        await using var __ = bob;
        bob.Node.Friends.Add(alice.Node.QuantumId, "alice", null);
        var stale = Directory.CreateDirectory(Path.Combine(InboxName.PartialFolder(bob.Home), new string('c', 32))).FullName;
        File.WriteAllText(Path.Combine(stale, "chunks.log"), "");
        File.SetLastWriteTimeUtc(Path.Combine(stale, "chunks.log"), DateTime.UtcNow - TimeSpan.FromDays(8));
        var fresh = Directory.CreateDirectory(Path.Combine(InboxName.PartialFolder(bob.Home), new string('d', 32))).FullName;

        await alice.Files().SendAsync(TransferSupport.RandomFile(alice.Temp, "x.txt", 10, 9), "bob", null, null, CancellationToken.None).WaitAsync(TestNode.Bound);

        Assert.False(Directory.Exists(stale));
        Assert.True(Directory.Exists(fresh));
    }

    [Fact]
    public async Task FilesAreAcceptedOnlyFromFriends()
    {
        var (alice, bob) = await TransferSupport.ConnectedPairAsync("alice", "bob");
        await using var _ = alice;
        await using var __ = bob;
        var source = TransferSupport.RandomFile(alice.Temp, "note.txt", 3000, 4);

        var refused = await Assert.ThrowsAsync<DreamException>(() => alice.Files().SendAsync(source, "bob", null, null, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(TransferErrors.TransferRefused, refused.ErrorId);
        Assert.Contains("friend", refused.Message);
        Assert.False(File.Exists(TransferSupport.InboxFile(bob, "note.txt")));
        Assert.True(alice.Node.FindLink("bob")!.IsOpen);

        bob.Node.Friends.Add(alice.Node.QuantumId, "alice", null);
        var accepted = await alice.Files().SendAsync(source, "bob", null, null, CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.Equal("note.txt", accepted.StoredAs);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(TransferSupport.InboxFile(bob, "note.txt")));

        var empty = alice.Temp.File("empty.txt");
        File.WriteAllBytes(empty, []);
        var nothing = await alice.Files().SendAsync(empty, "bob", null, null, CancellationToken.None).WaitAsync(TestNode.Bound);
        Assert.Equal((0, 0L), (nothing.ChunkCount, new FileInfo(TransferSupport.InboxFile(bob, "empty.txt")).Length));
        Assert.Equal(Blake3Hash.Hex([]), nothing.ContentHash);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("sub/escape.txt")]
    [InlineData("..")]
    [InlineData(".partial")]
    public async Task ASentNameThatWouldLeaveTheInboxIsRefused(string name)
    {
        var (alice, bob) = await TransferSupport.ConnectedPairAsync("alice", "bob");
        await using var _ = alice;
        await using var __ = bob;
        bob.Node.Friends.Add(alice.Node.QuantumId, "alice", null);
        var source = TransferSupport.RandomFile(alice.Temp, "payload.txt", 100, 5);

        var refused = await Assert.ThrowsAsync<DreamException>(() => alice.Files().SendAsync(source, "bob", name, null, CancellationToken.None).WaitAsync(TestNode.Bound));
        Assert.Equal(TransferErrors.TransferNameRefused, refused.ErrorId);
        Assert.False(File.Exists(Path.Combine(bob.Home.Path, "escape.txt")));
        Assert.False(Directory.Exists(InboxName.Folder(bob.Home)) && Directory.EnumerateFiles(InboxName.Folder(bob.Home), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task ATamperedChunkInASendIsRefusedTheLinkEndsAndNothingIsFiled()
    {
        await using var bob = TestNode.Start("bob");
        await using var rogue = await RoguePeer.ConnectAsync(bob);
        bob.Node.Friends.Add(rogue.QuantumId, "rogue", null);
        var id = new string('a', 32);
        await rogue.SendJsonAsync(new { type = "offer", transfer = id, name = "evil.bin", size = 1000, chunkSize = 1 << 20 });
        var (type, _) = await rogue.NextAsync();
        Assert.Equal("have", type);

        var honest = new byte[1000];
        var piece = new byte[25 + 1000];
        piece[0] = 0x11;
        Convert.FromHexString(id).CopyTo(piece, 1);
        BinaryPrimitives.WriteUInt32BigEndian(piece.AsSpan(17), 0); // chunk index
        BinaryPrimitives.WriteUInt32BigEndian(piece.AsSpan(21), 0); // piece offset
        piece[25 + 500] = 0xFF; // the bytes no longer match the hash the end frame claims
        await rogue.Link.SendAsync(piece).WaitAsync(TestNode.Bound);
        var end = new byte[53];
        end[0] = 0x13;
        Convert.FromHexString(id).CopyTo(end, 1);
        Blake3Hash.Compute(honest).CopyTo(end, 21);
        await rogue.Link.SendAsync(end).WaitAsync(TestNode.Bound);

        var (refusal, body) = await rogue.NextAsync();
        Assert.Equal("refuse", refusal);
        Assert.Equal(TransferErrors.ContentTampered, body.GetProperty("code").GetString());
        await Poll.UntilAsync(() => bob.Events.Any(e => e.Kind == "Misbehaved" && e.QuantumId == rogue.QuantumId), "bob to report the rogue");
        await Poll.UntilAsync(() => bob.Node.FindLink("rogue") is null, "bob to close the rogue's link");
        Assert.False(File.Exists(TransferSupport.InboxFile(bob, "evil.bin")));
    }

    [Fact]
    public async Task ATamperedChunkInAFetchFailsTheFetchWithContentTampered()
    {
        await using var bob = TestNode.Start("bob");
        await using var rogue = await RoguePeer.ConnectAsync(bob);
        await Poll.UntilAsync(() => bob.Node.FindLink("rogue") is not null, "bob to see the rogue");
        var destination = bob.Temp.File("fetched.bin");
        var fetch = bob.Content().FetchAsync("rogue", "doc.bin", destination, false, CancellationToken.None);

        var (type, observe) = await rogue.NextAsync();
        Assert.Equal("observe", type);
        var request = observe.GetProperty("request").GetUInt32();
        var honest = new byte[3000];
        new Random(6).NextBytes(honest);
        var hash = Blake3Hash.Compute(honest);
        await rogue.SendJsonAsync(new { type = "manifest", request, name = "doc.bin", size = 3000, contentHash = Blake3Hash.ToHex(hash), chunks = 1 });
        var entries = new byte[9 + 36];
        entries[0] = 0x02;
        BinaryPrimitives.WriteUInt32BigEndian(entries.AsSpan(1), request);
        hash.CopyTo(entries, 9);
        BinaryPrimitives.WriteUInt32BigEndian(entries.AsSpan(41), 3000);
        await rogue.Link.SendAsync(entries).WaitAsync(TestNode.Bound);
        var (want, _) = await rogue.NextAsync();
        Assert.Equal("want", want);

        var chunk = new byte[41 + 3000];
        chunk[0] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(1), request);
        hash.CopyTo(chunk, 5);
        honest.CopyTo(chunk, 41);
        chunk[41 + 10] ^= 1;
        await rogue.Link.SendAsync(chunk).WaitAsync(TestNode.Bound);

        var error = await Assert.ThrowsAsync<DreamException>(() => fetch.WaitAsync(TestNode.Bound));
        Assert.Equal(TransferErrors.ContentTampered, error.ErrorId);
        Assert.False(File.Exists(destination));
        await Poll.UntilAsync(() => bob.Events.Any(e => e.Kind == "Misbehaved" && e.QuantumId == rogue.QuantumId), "bob to report the rogue");
    }

    [Fact]
    public async Task AnUnrequestedFileChunkEndsTheLinkAndReportsThePeer()
    {
        await using var bob = TestNode.Start("bob");
        await using var rogue = await RoguePeer.ConnectAsync(bob);
        var piece = new byte[25 + 100];
        piece[0] = 0x11;
        await rogue.Link.SendAsync(piece).WaitAsync(TestNode.Bound);

        var (type, body) = await rogue.NextAsync();
        Assert.Equal("error", type);
        Assert.Equal(TesseractErrors.ProtocolViolation, body.GetProperty("code").GetString());
        await Poll.UntilAsync(() => bob.Events.Any(e => e.Kind == "Misbehaved" && e.QuantumId == rogue.QuantumId), "bob to report the rogue");
    }

    [Fact]
    public async Task AnOversizedManifestFailsTheFetchAndEndsTheLink()
    {
        await using var bob = TestNode.Start("bob");
        await using var rogue = await RoguePeer.ConnectAsync(bob);
        await Poll.UntilAsync(() => bob.Node.FindLink("rogue") is not null, "bob to see the rogue");
        var fetch = bob.Content().FetchAsync("rogue", "huge.bin", bob.Temp.File("huge.bin"), false, CancellationToken.None);
        var (type, observe) = await rogue.NextAsync();
        Assert.Equal("observe", type);
        await rogue.SendJsonAsync(new { type = "manifest", request = observe.GetProperty("request").GetUInt32(), name = "huge.bin", size = 1L << 33, contentHash = new string('0', 64), chunks = 1 << 22 });

        var error = await Assert.ThrowsAsync<DreamException>(() => fetch.WaitAsync(TestNode.Bound));
        Assert.Equal(TransferErrors.ContentTampered, error.ErrorId);
        Assert.Contains("chunks", error.Message);
        await Poll.UntilAsync(() => bob.Events.Any(e => e.Kind == "Misbehaved" && e.QuantumId == rogue.QuantumId), "bob to report the rogue");
    }
}
