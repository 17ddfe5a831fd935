using Dreamwell.Content;
using Dreamwell.Tests.Support;

namespace Dreamwell.Tests.Content;

public class ContentStoreTests
{
    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Write(TempHome temp, string name, byte[] bytes)
    {
        var path = temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5 << 20)]
    public void Publish_then_restore_gives_the_same_bytes(int length)
    {
        using var temp = new TempHome();
        var original = Bytes(length, length);
        using var store = ContentStore.Open(temp.Home);
        var published = store.Publish(Write(temp, "in.bin", original), "files/in.bin");
        Assert.Equal(Blake3Hash.Hex(original), published.Item.ContentHash);
        Assert.Equal(length, published.Item.Size);
        Assert.Equal(published.Item.ChunkCount, published.NewChunks);
        var restored = store.Restore("files/in.bin", temp.File("out.bin"), overwrite: false);
        Assert.Equal(original, File.ReadAllBytes(temp.File("out.bin")));
        Assert.Equal(published.Item.ChunkCount + 1, restored.Verifications);
    }

    [Fact]
    public void Identical_content_is_stored_once()
    {
        using var temp = new TempHome();
        var bytes = Bytes(300_000, 7);
        using var store = ContentStore.Open(temp.Home);
        var first = store.Publish(Write(temp, "a.bin", bytes), "a.bin");
        var second = store.Publish(Write(temp, "b.bin", bytes), "b.bin");
        Assert.True(first.NewChunks > 1);
        Assert.Equal(0, second.NewChunks);
        Assert.Equal((first.Item.ChunkCount, 300_000L), store.Totals());
        Assert.Equal(2, store.List().Count);
    }

    [Fact]
    public void A_shared_middle_is_stored_once()
    {
        using var temp = new TempHome();
        var middle = Bytes(400_000, 1);
        var a = Bytes(50_000, 2).Concat(middle).Concat(Bytes(50_000, 3)).ToArray();
        var b = Bytes(70_000, 4).Concat(middle).Concat(Bytes(30_000, 5)).ToArray();
        using var store = ContentStore.Open(temp.Home);
        var first = store.Publish(Write(temp, "a.bin", a), "a.bin");
        var second = store.Publish(Write(temp, "b.bin", b), "b.bin");
        var shared = store.ChunksOf("a.bin").Intersect(store.ChunksOf("b.bin")).Count();
        Assert.True(shared > 10, $"only {shared} chunks shared");
        Assert.Equal(second.Item.ChunkCount - shared, second.NewChunks);
        Assert.True(store.Totals().Bytes < a.Length + b.Length - 300_000);
        store.Restore("b.bin", temp.File("b.out"), overwrite: false);
        Assert.Equal(b, File.ReadAllBytes(temp.File("b.out")));
        _ = first;
    }

    [Fact]
    public void A_corrupted_chunk_is_named_and_nothing_is_written()
    {
        using var temp = new TempHome();
        using var store = ContentStore.Open(temp.Home);
        store.Publish(Write(temp, "in.bin", Bytes(100_000, 9)), "in.bin");
        var victim = store.ChunksOf("in.bin")[1];
        var path = store.ChunkPath(victim);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<DreamException>(() => store.Restore("in.bin", temp.File("out.bin"), overwrite: false));
        Assert.Equal("ChunkCorrupt", error.ErrorId);
        Assert.Contains(victim, error.Message);
        Assert.False(File.Exists(temp.File("out.bin")));
        Assert.Empty(Directory.GetFiles(temp.Scratch, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Publishing_again_repairs_a_corrupted_chunk()
    {
        using var temp = new TempHome();
        using var store = ContentStore.Open(temp.Home);
        var original = Bytes(100_000, 11);
        var source = Write(temp, "in.bin", original);
        store.Publish(source, "in.bin");
        var path = store.ChunkPath(store.ChunksOf("in.bin")[0]);
        File.WriteAllBytes(path, new byte[new FileInfo(path).Length]);

        Assert.Equal(1, store.Publish(source, "in.bin").NewChunks);
        store.Restore("in.bin", temp.File("out.bin"), overwrite: false);
        Assert.Equal(original, File.ReadAllBytes(temp.File("out.bin")));
    }

    [Fact]
    public void The_index_survives_reopening()
    {
        using var temp = new TempHome();
        var original = Bytes(200_000, 13);
        PublishResult published;
        using (var store = ContentStore.Open(temp.Home))
            published = store.Publish(Write(temp, "in.bin", original), "deep/name/in.bin");
        using (var reopened = ContentStore.Open(temp.Home))
        {
            var item = Assert.Single(reopened.List());
            Assert.Equal(published.Item with { Published = item.Published }, item);
            Assert.Equal(published.Item.Published.ToUnixTimeMilliseconds(), item.Published.ToUnixTimeMilliseconds());
            reopened.Restore("deep/name/in.bin", temp.File("out.bin"), overwrite: false);
        }
        Assert.Equal(original, File.ReadAllBytes(temp.File("out.bin")));
    }

    [Fact]
    public void Restore_refuses_to_replace_a_file_without_overwrite()
    {
        using var temp = new TempHome();
        using var store = ContentStore.Open(temp.Home);
        store.Publish(Write(temp, "in.bin", Bytes(10, 1)), "in.bin");
        File.WriteAllText(temp.File("out.bin"), "keep");
        Assert.Equal("DestinationExists", Assert.Throws<DreamException>(() => store.Restore("in.bin", temp.File("out.bin"), overwrite: false)).ErrorId);
        Assert.Equal("keep", File.ReadAllText(temp.File("out.bin")));
        Assert.Equal("ContentNotFound", Assert.Throws<DreamException>(() => store.Restore("other", temp.File("x"), overwrite: false)).ErrorId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("../escape")]
    [InlineData("a/../../b")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    [InlineData("C:x")]
    [InlineData("a/./b")]
    [InlineData("bell\a")]
    public void Bad_names_are_refused(string name)
    {
        using var temp = new TempHome();
        using var store = ContentStore.Open(temp.Home);
        var error = Assert.Throws<DreamException>(() => store.Publish(Write(temp, "in.bin", Bytes(10, 1)), name));
        Assert.Equal("BadContentName", error.ErrorId);
        Assert.Empty(store.List());
    }

    [Fact]
    public void An_item_over_the_size_limit_is_refused_before_it_is_read()
    {
        using var temp = new TempHome();
        var path = temp.File("huge.bin");
        using (var sparse = File.Create(path)) sparse.SetLength(ContentLimits.MaxItemBytes + 1);
        using var store = ContentStore.Open(temp.Home);
        Assert.Equal("ContentTooLarge", Assert.Throws<DreamException>(() => store.Publish(path, "huge.bin")).ErrorId);
        Assert.Empty(store.List());
    }

    [Fact]
    public void A_damaged_index_row_is_reported_not_trusted()
    {
        using var temp = new TempHome();
        using (var store = ContentStore.Open(temp.Home))
            store.Publish(Write(temp, "in.bin", Bytes(20_000, 3)), "in.bin");
        var index = Path.Combine(temp.Home.Path, ContentStore.FolderName, "index.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={index};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE items SET chunk_count = chunk_count + 1";
            command.ExecuteNonQuery();
        }
        using var reopened = ContentStore.Open(temp.Home);
        var error = Assert.Throws<DreamException>(() => reopened.Restore("in.bin", temp.File("out.bin"), overwrite: false));
        Assert.Equal("ContentIndexCorrupt", error.ErrorId);
        Assert.False(File.Exists(temp.File("out.bin")));
    }
}
