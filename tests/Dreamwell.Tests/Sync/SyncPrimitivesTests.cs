using Dreamwell.Sync;

namespace Dreamwell.Tests.Sync;

public sealed class SyncPrimitivesTests
{
    [Theory]
    [InlineData("*.tmp", "a.tmp", true)]
    [InlineData("*.tmp", "deep/down/a.tmp", true)]
    [InlineData("*.tmp", "a.tmpx", false)]
    [InlineData("/build", "build/x/y.o", true)]
    [InlineData("/build", "src/build/y.o", false)]
    [InlineData("build", "src/build/y.o", true)]
    [InlineData("docs/*.md", "docs/a.md", true)]
    [InlineData("docs/*.md", "docs/sub/a.md", false)]
    [InlineData("docs/**.md", "docs/sub/a.md", true)]
    [InlineData("/a/**/z", "a/z", true)]
    [InlineData("/a/**/z", "a/b/c/z", true)]
    [InlineData("?.txt", "x.txt", true)]
    [InlineData("?.txt", "xy.txt", false)]
    [InlineData("[a-c].log", "b.log", true)]
    [InlineData("[a-c].log", "d.log", false)]
    [InlineData("*.{jpg,png}", "p/q.png", true)]
    [InlineData("(?i)*.JPG", "photo.jpg", true)]
    [InlineData("*.JPG", "photo.jpg", false)]
    [InlineData("\\*literal", "*literal", true)]
    [InlineData("\\*literal", "xliteral", false)]
    public void Patterns_match_like_syncthing(string pattern, string path, bool ignored) =>
        Assert.Equal(ignored, IgnorePatterns.Parse(pattern).IsIgnored(path));

    [Fact]
    public void The_first_matching_pattern_decides_and_bang_reincludes()
    {
        var patterns = IgnorePatterns.Parse("// keep the important log\n!important.log\n*.log\n");
        Assert.False(patterns.IsIgnored("important.log"));
        Assert.True(patterns.IsIgnored("debug.log"));
        Assert.True(patterns.IsIgnored(".dreamsync-tmp-0011"));
    }

    [Theory]
    [InlineData("#include other.txt")]
    [InlineData("[abc")]
    [InlineData("{a,b")]
    [InlineData("!")]
    public void Bad_patterns_are_refused_with_their_line(string line)
    {
        var error = Assert.Throws<DreamException>(() => IgnorePatterns.Parse("ok.txt\n" + line));
        Assert.Equal(SyncErrors.BadIgnorePattern, error.ErrorId);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void Version_vectors_order_and_merge()
    {
        var a1 = VersionVector.Empty.Update("aaaa");
        var a2 = a1.Update("aaaa");
        var b = a1.Update("bbbb");
        Assert.Equal(VersionOrder.Greater, a2.Compare(a1));
        Assert.Equal(VersionOrder.Lesser, a1.Compare(a2));
        Assert.True(a2.IsConcurrentWith(b));
        Assert.NotEqual(a2.Compare(b), b.Compare(a2));
        var merged = a2.Merge(b);
        Assert.Equal(VersionOrder.Greater, merged.Compare(a2));
        Assert.Equal(VersionOrder.Greater, merged.Compare(b));
        Assert.Equal(merged, VersionVector.Parse(merged.ToString()));
        Assert.Throws<DreamFormatException>(() => VersionVector.Parse("aaaa:0"));
        Assert.Throws<DreamFormatException>(() => VersionVector.Parse("aaaa:1,aaaa:2"));
    }

    [Fact]
    public void Conflict_copies_are_named_like_syncthing()
    {
        var when = new DateTimeOffset(2026, 11, 25, 21, 15, 0, TimeSpan.Zero);
        Assert.Equal("photos/cat.sync-conflict-20261125-211500-0123456789abcdef.jpg", ConflictRule.ConflictName("photos/cat.jpg", when, "0123456789abcdef"));
        Assert.Equal("Makefile.sync-conflict-20261125-211500-0123456789abcdef", ConflictRule.ConflictName("Makefile", when, "0123456789abcdef"));
        Assert.Equal(".bashrc.sync-conflict-20261125-211500-0123456789abcdef", ConflictRule.ConflictName(".bashrc", when, "0123456789abcdef"));
    }

    [Fact]
    public void Share_keys_round_trip_and_catch_typos()
    {
        var owner = new byte[32];
        new Random(5).NextBytes(owner);
        var key = ShareKey.Create(ShareKind.Portal, owner, ["127.0.0.1:9618", "[::1]:9618"]);
        var text = key.ToString();

        var parsed = ShareKey.Parse(text);

        Assert.StartsWith("dwp1.", text);
        Assert.Equal(key.ShareIdHex, parsed.ShareIdHex);
        Assert.Equal(key.Addresses, parsed.Addresses);
        Assert.True(parsed.SecretMatches(key.Secret));
        Assert.Equal(32, key.Secret.Length);
        Assert.Equal(8, key.ShortId.Length);
        var typo = text[..20] + (text[20] == 'A' ? 'B' : 'A') + text[21..];
        Assert.Equal(SyncErrors.BadPortalKey, Assert.Throws<DreamException>(() => ShareKey.Parse(typo)).ErrorId);
        Assert.Equal(SyncErrors.BadPortalKey, Assert.Throws<DreamException>(() => ShareKey.Parse(text[..40])).ErrorId);
        Assert.Equal(SyncErrors.BadPortalKey, Assert.Throws<DreamException>(() => ShareKey.Parse("dws1." + text[5..])).ErrorId);
    }
}

public sealed class ChunkingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dreamwell-chunking-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40 << 10)]
    [InlineData(FolderScanner.WholeFileChunkBytes)]
    public void A_small_file_is_one_chunk_hashed_whole(int size)
    {
        var path = Write("small.bin", size, size);
        var chunk = Assert.Single(FolderScanner.Chunk(path));
        Assert.Equal(new SyncChunk(0, size, Blake3Hash.Hex(File.ReadAllBytes(path))), chunk);
    }

    [Fact]
    public void An_empty_file_has_no_chunks() => Assert.Empty(FolderScanner.Chunk(Write("empty", 0, 0)));

    [Fact]
    public void A_larger_file_is_cut_by_content_and_its_chunks_cover_it_in_order()
    {
        var path = Write("large.bin", 1 << 20, 7);
        var chunks = FolderScanner.Chunk(path);
        var bytes = File.ReadAllBytes(path);
        Assert.True(chunks.Count > 1);
        long offset = 0;
        foreach (var chunk in chunks)
        {
            Assert.Equal(offset, chunk.Offset);
            Assert.InRange(chunk.Size, 1, Dreamwell.Formats.FastCdc.MaxSize);
            Assert.Equal(Blake3Hash.Hex(bytes.AsSpan((int)chunk.Offset, chunk.Size)), chunk.Hash);
            offset += chunk.Size;
        }
        Assert.Equal(bytes.Length, offset);
    }
}
