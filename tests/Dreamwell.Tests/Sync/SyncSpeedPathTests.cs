using Dreamwell.Sync;
using Dreamwell.Tests.Node;

namespace Dreamwell.Tests.Sync;

/// <summary>
/// The paths that make a first sync and a single change fast must not change what is synced: scans that commit in
/// portions, scans of just the paths the watcher named, chunk answers packed into shared frames, batched requests.
/// </summary>
public sealed class SyncSpeedPathTests
{
    [Fact]
    public void A_scan_committed_in_portions_indexes_the_same_files_as_one_commit()
    {
        using var device = new SyncDevice("aaaa");
        for (var i = 0; i < 1100; i++) device.Write($"d{i % 7}/f{i}.txt", $"file {i}");
        var portions = 0;
        var result = FolderScanner.Scan(device.Folder, device.Index, device.DeviceId, IgnorePatterns.Load(device.Folder), portionCommitted: () => portions++);

        Assert.Equal(1100, result.Changed);
        Assert.True(portions >= 2, $"a scan of 1100 new files should commit in portions, committed {portions} times before its end");
        Assert.Equal(1100, device.Index.All().Count());
        File.Delete(device.PathOf("d0/f0.txt"));
        Assert.Equal(1, device.Scan().Deleted); // later scans still see deletions: the generation was taken up front
    }

    [Fact]
    public void A_scan_of_named_paths_indexes_new_changed_and_deleted_files()
    {
        using var device = new SyncDevice("aaaa");
        device.Write("keep.txt", "same");
        device.Write("edit.txt", "before");
        device.Write("gone.txt", "bye");
        device.Scan();

        device.Write("new.txt", "hello");
        device.Write("edit.txt", "after, longer");
        File.Delete(device.PathOf("gone.txt"));
        var result = FolderScanner.ScanPaths(device.Folder, device.Index, device.DeviceId, IgnorePatterns.Load(device.Folder),
            ["new.txt", "edit.txt", "gone.txt", "keep.txt", "never-existed.txt", ".dreamsync-tmp-0123"]);

        Assert.NotNull(result);
        Assert.Equal((2, 1, 1), (result!.Changed, result.Deleted, result.Unchanged));
        Assert.True(device.Index.Get("gone.txt")!.Deleted);
        Assert.Equal(5, device.Index.Get("new.txt")!.Size);
        Assert.Equal(0, device.Scan().Changed + device.Scan().Deleted); // a full scan finds nothing the named scan missed
    }

    [Fact]
    public void A_named_folder_or_ignore_file_asks_for_a_full_scan()
    {
        using var device = new SyncDevice("aaaa");
        device.Write("photos/a.jpg", "a");
        device.Scan();
        var ignore = IgnorePatterns.Load(device.Folder);

        Assert.Null(FolderScanner.ScanPaths(device.Folder, device.Index, device.DeviceId, ignore, ["photos"])); // a folder appeared
        Directory.Move(device.PathOf("photos"), device.PathOf("pictures"));
        Assert.Null(FolderScanner.ScanPaths(device.Folder, device.Index, device.DeviceId, ignore, ["photos"])); // a folder went away
        Assert.Null(FolderScanner.ScanPaths(device.Folder, device.Index, device.DeviceId, ignore, [".dreamignore"]));
    }

    [Fact]
    public void Chunk_answers_packed_into_frames_come_back_whole()
    {
        var share = new byte[ShareKey.ShareIdBytes];
        var random = new Random(7);
        var chunks = new[] { 10, 70_000, 3000, 65_536, 1, 200_000 }.Select(size => { var b = new byte[size]; random.NextBytes(b); return b; }).ToList();
        var packer = new PortalWire.ChunksPacker(share);
        var frames = chunks.SelectMany((chunk, i) => packer.Add(i + 1, chunk)).ToList();
        frames.Add(packer.Flush()!);

        var rebuilt = chunks.Select(c => new MemoryStream()).ToList();
        foreach (var frame in frames)
        {
            Assert.True(frame.Length <= PortalWire.MaxFrameBytes);
            foreach (var piece in PortalWire.DecodeChunks(frame).Pieces)
            {
                Assert.Equal(chunks[piece.RequestId - 1].Length, piece.Total);
                Assert.Equal(rebuilt[piece.RequestId - 1].Length, piece.Offset);
                rebuilt[piece.RequestId - 1].Write(piece.Bytes.Span);
            }
        }
        Assert.All(chunks.Select((c, i) => (c, i)), x => Assert.Equal(x.c, rebuilt[x.i].ToArray()));
        Assert.True(frames.Count < chunks.Count + 4, $"small chunks share frames ({frames.Count} frames for {chunks.Count} chunks)");
    }

    [Fact]
    public void A_chunks_frame_that_lies_about_lengths_is_refused()
    {
        var packer = new PortalWire.ChunksPacker(new byte[ShareKey.ShareIdBytes]);
        packer.Add(1, new byte[100]);
        var frame = packer.Flush()!;
        frame[1 + ShareKey.ShareIdBytes + 2 + 12 + 1] = 0xFF; // the piece's length field now claims more than the frame holds
        Assert.Throws<DreamException>(() => PortalWire.DecodeChunks(frame));
    }

    [Fact]
    public async Task Chunk_requests_made_together_leave_in_few_messages_and_each_gets_its_answer()
    {
        var messages = new List<IReadOnlyList<ChunkWant>>();
        // The first message "goes out" only once all 40 requests are made, as on a busy link: the rest wait for it.
        var linkFree = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RemoteChunks? chunks = null;
        chunks = new RemoteChunks("peer", async (wants, _) =>
        {
            lock (messages) messages.Add(wants);
            await linkFree.Task;
            foreach (var want in wants) chunks!.OnPiece(want.Id, 0, want.Size, Enumerable.Repeat((byte)want.Size, want.Size).ToArray());
        });
        var sizes = Enumerable.Range(1, 40).ToList();
        var fetches = sizes.Select(size => chunks.FetchAsync(new string('a', 64), size, CancellationToken.None)).ToList();
        linkFree.SetResult();
        var answers = await Task.WhenAll(fetches);

        Assert.All(sizes, size => Assert.Equal(Enumerable.Repeat((byte)size, size), answers[size - 1]));
        Assert.Equal(40, messages.Sum(m => m.Count));
        Assert.True(messages.Count < 40, $"40 requests made at once should share messages, took {messages.Count}");
    }

    [Fact]
    public void The_fullest_batch_of_chunk_requests_fits_one_FQTP_message()
    {
        var wants = Enumerable.Repeat(new ChunkWant(int.MaxValue, new string('f', 64), 1 << 20), RemoteChunks.MaxPerMessage).ToList();
        var message = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(PortalSession.WantsMessage(new string('0', 32), wants));
        Assert.True(message.Length <= Dreamwell.Node.FqtpMessages.MaxMessageBytes, $"{message.Length} bytes");
    }
}
