using Dreamwell.Sync;

namespace Dreamwell.Tests.Sync;

public sealed class SyncEngineTests
{
    private const string IdA = "aaaaaaaaaaaaaaaa";
    private const string IdB = "bbbbbbbbbbbbbbbb";

    [Fact]
    public async Task A_new_file_arrives_with_its_bytes_and_time()
    {
        using var a = new SyncDevice(IdA);
        using var b = new SyncDevice(IdB);
        var when = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
        a.Write("notes/today.txt", "hello portal", when);

        await SyncDevice.ConvergeAsync(a, b);

        Assert.Equal("hello portal", b.Read("notes/today.txt"));
        Assert.Equal(when, File.GetLastWriteTimeUtc(b.PathOf("notes/today.txt")));
        Assert.Equal(a.Snapshot(), b.Snapshot());
    }

    [Fact]
    public async Task Edits_flow_both_ways()
    {
        using var a = new SyncDevice(IdA);
        using var b = new SyncDevice(IdB);
        a.Write("doc.txt", "one", DateTime.UtcNow.AddMinutes(-5));
        await SyncDevice.ConvergeAsync(a, b);
        b.Write("doc.txt", "two", DateTime.UtcNow);
        await SyncDevice.ConvergeAsync(a, b);
        Assert.Equal("two", a.Read("doc.txt"));
        Assert.Equal(a.Snapshot(), b.Snapshot());
    }

    [Fact]
    public async Task A_rename_costs_no_transfer_and_the_old_name_goes()
    {
        using var a = new SyncDevice(IdA);
        using var b = new SyncDevice(IdB);
        a.Write("big.bin", Random(2 << 20, seed: 1));
        await SyncDevice.ConvergeAsync(a, b);
        Directory.CreateDirectory(a.PathOf("moved"));
        File.Move(a.PathOf("big.bin"), a.PathOf("moved/renamed.bin"));

        var (_, toB) = await SyncDevice.ConvergeAsync(a, b);

        Assert.Equal(0, toB.BytesFetched);
        Assert.True(toB.BytesReused >= 2 << 20);
        Assert.False(File.Exists(b.PathOf("big.bin")));
        Assert.Equal(a.Snapshot(), b.Snapshot());
    }

    [Fact]
    public async Task Deletions_propagate_as_tombstones()
    {
        using var a = new SyncDevice(IdA);
        using var b = new SyncDevice(IdB);
        a.Write("gone/soon.txt", "bye");
        a.Write("stays.txt", "hi");
        await SyncDevice.ConvergeAsync(a, b);
        File.Delete(a.PathOf("gone/soon.txt"));

        await SyncDevice.ConvergeAsync(a, b);

        Assert.False(File.Exists(b.PathOf("gone/soon.txt")));
        Assert.False(Directory.Exists(b.PathOf("gone")));
        Assert.True(b.Index.Get("gone/soon.txt")!.Deleted);
        Assert.Equal(a.Snapshot(), b.Snapshot());
    }

    [Fact]
    public async Task Concurrent_edits_keep_both_and_the_older_becomes_the_conflict_copy()
    {
        using var a = new SyncDevice(IdA);
        using var b = new SyncDevice(IdB);
        a.Write("plan.md", "base", DateTime.UtcNow.AddHours(-1));
        await SyncDevice.ConvergeAsync(a, b);
        var older = new DateTime(2026, 11, 25, 10, 0, 0, DateTimeKind.Utc);
        a.Write("plan.md", "edited on A (older)", older);
        b.Write("plan.md", "edited on B (newer)", older.AddMinutes(3));

        var (toA, toB) = await SyncDevice.ConvergeAsync(a, b);

        Assert.Equal("edited on B (newer)", a.Read("plan.md"));
        Assert.Equal("edited on B (newer)", b.Read("plan.md"));
        var copy = $"plan.sync-conflict-20261125-100000-{IdA}.md";
        Assert.Equal("edited on A (older)", a.Read(copy));
        Assert.Equal("edited on A (older)", b.Read(copy));
        Assert.Equal(1, toA.Conflicts + toB.Conflicts);
        Assert.Equal(a.Snapshot(), b.Snapshot());
    }

    [Fact]
    public async Task A_modification_beats_a_concurrent_delete()
    {
        using var a = new SyncDevice(IdA);
        using var b = new SyncDevice(IdB);
        a.Write("keep.txt", "v1", DateTime.UtcNow.AddHours(-1));
        await SyncDevice.ConvergeAsync(a, b);
        File.Delete(a.PathOf("keep.txt"));
        b.Write("keep.txt", "v2 from B", DateTime.UtcNow.AddHours(-2));

        await SyncDevice.ConvergeAsync(a, b);

        Assert.Equal("v2 from B", a.Read("keep.txt"));
        Assert.Equal(a.Snapshot(), b.Snapshot());
    }

    [Fact]
    public async Task Ignored_files_stay_home_and_newly_ignored_files_are_not_deleted_elsewhere()
    {
        using var a = new SyncDevice(IdA);
        using var b = new SyncDevice(IdB);
        a.Write(".dreamignore", "*.tmp\n/build\n");
        a.Write("scratch.tmp", "local only");
        a.Write("build/out.o", "local only");
        a.Write("src/main.c", "int main;");
        a.Write("src/shared.log", "synced for now");
        await SyncDevice.ConvergeAsync(a, b);
        Assert.False(File.Exists(b.PathOf("scratch.tmp")));
        Assert.False(File.Exists(b.PathOf("build/out.o")));
        Assert.False(File.Exists(b.PathOf(".dreamignore")));
        Assert.Equal("synced for now", b.Read("src/shared.log"));

        a.Write(".dreamignore", "*.tmp\n/build\n*.log\n");
        await SyncDevice.ConvergeAsync(a, b);

        Assert.Equal("synced for now", b.Read("src/shared.log"));
    }

    [Fact]
    public async Task A_small_edit_to_a_large_file_sends_only_the_changed_chunks()
    {
        using var a = new SyncDevice(IdA);
        using var b = new SyncDevice(IdB);
        var data = Random(16 << 20, seed: 7);
        a.Write("video.bin", data, DateTime.UtcNow.AddMinutes(-10));
        await SyncDevice.ConvergeAsync(a, b);
        data[8 << 20] ^= 0xFF;
        data[12 << 20] ^= 0xFF;
        a.Write("video.bin", data);

        var (_, toB) = await SyncDevice.ConvergeAsync(a, b);

        Assert.InRange(toB.BytesFetched, 1, 4 * 64 * 1024);
        Assert.Equal(a.Snapshot(), b.Snapshot());
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../escape.txt")]
    [InlineData("a\\..\\escape.txt")]
    [InlineData("C:/x")]
    [InlineData(".dreamsync-tmp-1234")]
    public async Task A_peer_path_that_leaves_the_folder_is_refused_and_nothing_is_written(string path)
    {
        using var b = new SyncDevice(IdB);
        var evil = new SyncFileState(path, 3, 0x1A4, DateTime.UtcNow.Ticks, false, VersionVector.Empty.Update(IdA), [new SyncChunk(0, 3, Blake3Hash.Hex("bad"u8))]);

        var error = await Assert.ThrowsAsync<DreamException>(() => b.Applier().ApplyAsync([evil], new FixedSource("bad"u8.ToArray())));

        Assert.Equal(SyncErrors.UnsafePath, error.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(b.Outside));
        Assert.Empty(Directory.EnumerateFileSystemEntries(b.Folder));
    }

    [Fact]
    public async Task A_peer_path_through_a_symbolic_link_is_refused()
    {
        using var b = new SyncDevice(IdB);
        Directory.CreateSymbolicLink(b.PathOf("link"), b.Outside);
        var evil = new SyncFileState("link/planted.txt", 3, 0x1A4, DateTime.UtcNow.Ticks, false, VersionVector.Empty.Update(IdA), [new SyncChunk(0, 3, Blake3Hash.Hex("bad"u8))]);

        var error = await Assert.ThrowsAsync<DreamException>(() => b.Applier().ApplyAsync([evil], new FixedSource("bad"u8.ToArray())));

        Assert.Equal(SyncErrors.UnsafePath, error.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(b.Outside));
    }

    [Fact]
    public async Task A_tampered_chunk_is_refused_and_the_old_file_survives()
    {
        using var a = new SyncDevice(IdA);
        using var b = new SyncDevice(IdB);
        a.Write("f.txt", "original", DateTime.UtcNow.AddMinutes(-5));
        await SyncDevice.ConvergeAsync(a, b);
        a.Write("f.txt", "changed!");
        a.Scan();

        var error = await Assert.ThrowsAsync<DreamException>(() => b.PullFromAsync(a, new FixedSource("evil!!!!"u8.ToArray())));

        Assert.Equal("SyncChunkMismatch", error.ErrorId);
        Assert.Equal("original", b.Read("f.txt"));
        Assert.DoesNotContain(Directory.EnumerateFiles(b.Folder), f => Path.GetFileName(f).StartsWith(SyncPath.TempPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_interrupted_pull_resumes_with_the_chunks_it_already_has()
    {
        using var a = new SyncDevice(IdA);
        using var b = new SyncDevice(IdB);
        a.Write("large.bin", Random(4 << 20, seed: 3));
        a.Scan();
        var flaky = new FailingAfter(new FolderChunkSource(a), chunks: 100);

        await Assert.ThrowsAsync<IOException>(() => b.PullFromAsync(a, flaky));
        Assert.False(File.Exists(b.PathOf("large.bin")));

        var counting = new FolderChunkSource(a);
        var resumed = await b.PullFromAsync(a, counting);

        Assert.Equal(1, resumed.FilesReceived);
        Assert.True(counting.BytesServed < (4 << 20) - 100 * 2048, $"resumed fetch served {counting.BytesServed} bytes");
        Assert.Equal(counting.BytesServed, resumed.BytesFetched); // cached chunks are reported as reused, not received
        Assert.True(resumed.ChunksReused >= 100);
        Assert.Equal(a.Snapshot(), b.Snapshot());
    }

    [Fact]
    public async Task A_local_edit_made_before_a_scan_is_never_overwritten()
    {
        using var a = new SyncDevice(IdA);
        using var b = new SyncDevice(IdB);
        a.Write("x.txt", "base", DateTime.UtcNow.AddHours(-1));
        await SyncDevice.ConvergeAsync(a, b);
        a.Write("x.txt", "A's change", DateTime.UtcNow.AddMinutes(-1));
        a.Scan();
        b.Write("x.txt", "B's unscanned change", DateTime.UtcNow);

        var pulled = await b.PullFromAsync(a);

        Assert.Contains("x.txt", pulled.Deferred);
        Assert.Equal("B's unscanned change", b.Read("x.txt"));
        await SyncDevice.ConvergeAsync(a, b);
        Assert.Equal("B's unscanned change", a.Read("x.txt"));
        Assert.Equal("A's change", a.Read($"x.sync-conflict-{ConflictStamp(a, "x.sync-conflict-")}"));
    }

    private static string ConflictStamp(SyncDevice device, string prefix) =>
        Directory.EnumerateFiles(device.Folder).Select(Path.GetFileName).Single(n => n!.StartsWith(prefix, StringComparison.Ordinal))![prefix.Length..];

    internal static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new System.Random(seed).NextBytes(bytes);
        return bytes;
    }

    private sealed class FixedSource(byte[] bytes) : IChunkSource
    {
        public Task<byte[]> FetchAsync(string hash, int size, CancellationToken cancellationToken) => Task.FromResult(bytes);
    }

    private sealed class FailingAfter(IChunkSource inner, int chunks) : IChunkSource
    {
        private int _served;

        public Task<byte[]> FetchAsync(string hash, int size, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _served) > chunks ? throw new IOException("link dropped") : inner.FetchAsync(hash, size, cancellationToken);
    }
}
