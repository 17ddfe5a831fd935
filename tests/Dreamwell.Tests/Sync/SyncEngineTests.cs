using Dreamwell.Sync;

namespace Dreamwell.Tests.Sync;

public sealed class SyncEngineTests : IDisposable
{
    private const string IdA = "aaaaaaaaaaaaaaaa";
    private const string IdB = "bbbbbbbbbbbbbbbb";

    private readonly SyncDevice _a = new(IdA);
    private readonly SyncDevice _b = new(IdB);

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    [Fact]
    public async Task A_new_file_arrives_with_its_bytes_and_time()
    {
        var when = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
        _a.Write("notes/today.txt", "hello portal", when);

        await SyncDevice.ConvergeAsync(_a, _b);

        Assert.Equal("hello portal", _b.Read("notes/today.txt"));
        Assert.Equal(when, File.GetLastWriteTimeUtc(_b.PathOf("notes/today.txt")));
        Assert.Equal(_a.Snapshot(), _b.Snapshot());
    }

    [Fact]
    public async Task Edits_flow_both_ways()
    {
        await ShareAsync("doc.txt", "one", DateTime.UtcNow.AddMinutes(-5));
        _b.Write("doc.txt", "two", DateTime.UtcNow);
        await SyncDevice.ConvergeAsync(_a, _b);
        Assert.Equal("two", _a.Read("doc.txt"));
        Assert.Equal(_a.Snapshot(), _b.Snapshot());
    }

    [Fact]
    public async Task A_rename_costs_no_transfer_and_the_old_name_goes()
    {
        await ShareAsync("big.bin", Random(2 << 20, seed: 1));
        Directory.CreateDirectory(_a.PathOf("moved"));
        File.Move(_a.PathOf("big.bin"), _a.PathOf("moved/renamed.bin"));

        var (_, toB) = await SyncDevice.ConvergeAsync(_a, _b);

        Assert.Equal(0, toB.BytesFetched);
        Assert.True(toB.BytesReused >= 2 << 20);
        Assert.False(File.Exists(_b.PathOf("big.bin")));
        Assert.Equal(_a.Snapshot(), _b.Snapshot());
    }

    [Fact]
    public async Task Deletions_propagate_as_tombstones()
    {
        _a.Write("gone/soon.txt", "bye");
        _a.Write("stays.txt", "hi");
        await SyncDevice.ConvergeAsync(_a, _b);
        File.Delete(_a.PathOf("gone/soon.txt"));

        await SyncDevice.ConvergeAsync(_a, _b);

        Assert.False(File.Exists(_b.PathOf("gone/soon.txt")));
        Assert.False(Directory.Exists(_b.PathOf("gone")));
        Assert.True(_b.Index.Get("gone/soon.txt")!.Deleted);
        Assert.Equal(_a.Snapshot(), _b.Snapshot());
    }

    [Fact]
    public async Task Concurrent_edits_keep_both_and_the_older_becomes_the_conflict_copy()
    {
        await ShareAsync("plan.md", "base", DateTime.UtcNow.AddHours(-1));
        var older = new DateTime(2026, 11, 25, 10, 0, 0, DateTimeKind.Utc);
        _a.Write("plan.md", "edited on A (older)", older);
        _b.Write("plan.md", "edited on B (newer)", older.AddMinutes(3));

        var (toA, toB) = await SyncDevice.ConvergeAsync(_a, _b);

        Assert.Equal("edited on B (newer)", _a.Read("plan.md"));
        Assert.Equal("edited on B (newer)", _b.Read("plan.md"));
        var copy = $"plan.sync-conflict-20261125-100000-{IdA}.md";
        Assert.Equal("edited on A (older)", _a.Read(copy));
        Assert.Equal("edited on A (older)", _b.Read(copy));
        Assert.Equal(1, toA.Conflicts + toB.Conflicts);
        Assert.Equal(_a.Snapshot(), _b.Snapshot());
    }

    [Fact]
    public async Task A_modification_beats_a_concurrent_delete()
    {
        await ShareAsync("keep.txt", "v1", DateTime.UtcNow.AddHours(-1));
        File.Delete(_a.PathOf("keep.txt"));
        _b.Write("keep.txt", "v2 from B", DateTime.UtcNow.AddHours(-2));

        await SyncDevice.ConvergeAsync(_a, _b);

        Assert.Equal("v2 from B", _a.Read("keep.txt"));
        Assert.Equal(_a.Snapshot(), _b.Snapshot());
    }

    [Fact]
    public async Task Ignored_files_stay_home_and_newly_ignored_files_are_not_deleted_elsewhere()
    {
        _a.Write(".dreamignore", "*.tmp\n/build\n");
        _a.Write("scratch.tmp", "local only");
        _a.Write("build/out.o", "local only");
        _a.Write("src/main.c", "int main;");
        _a.Write("src/shared.log", "synced for now");
        await SyncDevice.ConvergeAsync(_a, _b);
        Assert.False(File.Exists(_b.PathOf("scratch.tmp")));
        Assert.False(File.Exists(_b.PathOf("build/out.o")));
        Assert.False(File.Exists(_b.PathOf(".dreamignore")));
        Assert.Equal("synced for now", _b.Read("src/shared.log"));

        _a.Write(".dreamignore", "*.tmp\n/build\n*.log\n");
        await SyncDevice.ConvergeAsync(_a, _b);

        Assert.Equal("synced for now", _b.Read("src/shared.log"));
    }

    [Fact]
    public async Task A_small_edit_to_a_large_file_sends_only_the_changed_chunks()
    {
        var data = Random(16 << 20, seed: 7);
        await ShareAsync("video.bin", data, DateTime.UtcNow.AddMinutes(-10));
        data[8 << 20] ^= 0xFF;
        data[12 << 20] ^= 0xFF;
        _a.Write("video.bin", data);

        var (_, toB) = await SyncDevice.ConvergeAsync(_a, _b);

        Assert.InRange(toB.BytesFetched, 1, 4 * 64 * 1024);
        Assert.Equal(_a.Snapshot(), _b.Snapshot());
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
        var evil = new SyncFileState(path, 3, 0x1A4, DateTime.UtcNow.Ticks, false, VersionVector.Empty.Update(IdA), [new SyncChunk(0, 3, Blake3Hash.Hex("bad"u8))]);

        var error = await Assert.ThrowsAsync<DreamException>(() => _b.Applier().ApplyAsync([evil], new FixedSource("bad"u8.ToArray())));

        Assert.Equal(SyncErrors.UnsafePath, error.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_b.Outside));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_b.Folder));
    }

    [Fact]
    public async Task A_peer_path_through_a_symbolic_link_is_refused()
    {
        Directory.CreateSymbolicLink(_b.PathOf("link"), _b.Outside);
        var evil = new SyncFileState("link/planted.txt", 3, 0x1A4, DateTime.UtcNow.Ticks, false, VersionVector.Empty.Update(IdA), [new SyncChunk(0, 3, Blake3Hash.Hex("bad"u8))]);

        var error = await Assert.ThrowsAsync<DreamException>(() => _b.Applier().ApplyAsync([evil], new FixedSource("bad"u8.ToArray())));

        Assert.Equal(SyncErrors.UnsafePath, error.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_b.Outside));
    }

    [Fact]
    public async Task A_tampered_chunk_is_refused_and_the_old_file_survives()
    {
        await ShareAsync("f.txt", "original", DateTime.UtcNow.AddMinutes(-5));
        _a.Write("f.txt", "changed!");
        _a.Scan();

        var error = await Assert.ThrowsAsync<DreamException>(() => _b.PullFromAsync(_a, new FixedSource("evil!!!!"u8.ToArray())));

        Assert.Equal("SyncChunkMismatch", error.ErrorId);
        Assert.Equal("original", _b.Read("f.txt"));
        Assert.DoesNotContain(Directory.EnumerateFiles(_b.Folder), f => Path.GetFileName(f).StartsWith(SyncPath.TempPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_interrupted_pull_resumes_with_the_chunks_it_already_has()
    {
        _a.Write("large.bin", Random(4 << 20, seed: 3));
        _a.Scan();
        var flaky = new FailingAfter(new FolderChunkSource(_a), chunks: 100);

        await Assert.ThrowsAsync<IOException>(() => _b.PullFromAsync(_a, flaky));
        Assert.False(File.Exists(_b.PathOf("large.bin")));

        var counting = new FolderChunkSource(_a);
        var resumed = await _b.PullFromAsync(_a, counting);

        Assert.Equal(1, resumed.FilesReceived);
        Assert.True(counting.BytesServed < (4 << 20) - 100 * 2048, $"resumed fetch served {counting.BytesServed} bytes");
        Assert.Equal(counting.BytesServed, resumed.BytesFetched); // cached chunks are reported as reused, not received
        Assert.True(resumed.ChunksReused >= 100);
        Assert.Equal(_a.Snapshot(), _b.Snapshot());
    }

    [Fact]
    public async Task A_local_edit_made_before_a_scan_is_never_overwritten()
    {
        await ShareAsync("x.txt", "base", DateTime.UtcNow.AddHours(-1));
        _a.Write("x.txt", "A's change", DateTime.UtcNow.AddMinutes(-1));
        _a.Scan();
        _b.Write("x.txt", "B's unscanned change", DateTime.UtcNow);

        var pulled = await _b.PullFromAsync(_a);

        Assert.Contains("x.txt", pulled.Deferred);
        Assert.Equal("B's unscanned change", _b.Read("x.txt"));
        await SyncDevice.ConvergeAsync(_a, _b);
        Assert.Equal("B's unscanned change", _a.Read("x.txt"));
        Assert.Equal("A's change", _a.Read($"x.sync-conflict-{ConflictStamp(_a, "x.sync-conflict-")}"));
    }

    /// <summary>Writes a file on A and syncs it to B: the file both devices start a test with.</summary>
    private Task ShareAsync(string relative, string text, DateTime? modified = null) => ShareAsync(relative, System.Text.Encoding.UTF8.GetBytes(text), modified);

    private async Task ShareAsync(string relative, byte[] bytes, DateTime? modified = null)
    {
        _a.Write(relative, bytes, modified);
        await SyncDevice.ConvergeAsync(_a, _b);
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
