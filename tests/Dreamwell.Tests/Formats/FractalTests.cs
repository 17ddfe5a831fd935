#pragma warning disable CA1416 // these tests run on Unix: modes and symlinks are what they check
using Xunit;
using Dreamwell.Formats;

namespace Dreamwell.Tests.Formats;

public sealed class FractalTests
{
    private static string BuildTree(TempFolder temp)
    {
        var shared = FormatTestData.Random(256 << 10, seed: 11);
        temp.Write("tree/one.bin", shared);
        temp.Write("tree/nested/deeper/two.bin", shared);
        temp.Write("tree/notes.txt", FormatTestData.Text(50_000));
        temp.Write("tree/private.txt", "secret-ish"u8.ToArray());
        File.SetUnixFileMode(temp.File("tree/private.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.CreateDirectory(temp.File("tree/empty/also-empty"));
        File.CreateSymbolicLink(temp.File("tree/nested/to-notes"), "../notes.txt");
        File.SetLastWriteTimeUtc(temp.File("tree/notes.txt"), new DateTime(2020, 2, 2, 2, 2, 2, DateTimeKind.Utc));
        return temp.File("tree");
    }

    [Fact]
    public void AFolderRoundTripsWithDedupeEmptyFoldersLinksModesAndTimes()
    {
        using var temp = new TempFolder();
        var tree = BuildTree(temp);
        var packed = DreamCodec.Pack(tree, temp.File("t.fractal"), DreamFormat.Fractal, new PackOptions(), false, null, CancellationToken.None);

        Assert.True(packed.BytesOut < 256 * 1024 + 40_000, $"identical files were not stored once: {packed.BytesOut} bytes");
        var info = DreamCodec.Inspect(packed.OutputPath);
        Assert.Equal(19, info.Level);
        Assert.Equal(3, info.ChunkCount); // distinct contents
        Assert.Contains(info.Entries, e => e.Name == "empty/also-empty" && e.IsDirectory);
        Assert.Contains(info.Entries, e => e.Name == "nested/to-notes" && e.LinkTarget == "../notes.txt");

        var opened = DreamCodec.Open(packed.OutputPath, temp.File("out"), null, false, null, CancellationToken.None);
        Assert.Equal(packed.InputHash, opened.OutputHash);
        Assert.Equal(packed.OutputHash, opened.InputHash);
        foreach (var file in new[] { "one.bin", "nested/deeper/two.bin", "notes.txt", "private.txt" })
            Assert.True(File.ReadAllBytes(Path.Combine(tree, file)).AsSpan().SequenceEqual(File.ReadAllBytes(temp.File("out/" + file))), file);
        Assert.True(Directory.Exists(temp.File("out/empty/also-empty")));
        Assert.Equal("../notes.txt", new FileInfo(temp.File("out/nested/to-notes")).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp.File("out/private.txt")));
        Assert.Equal(new DateTime(2020, 2, 2, 2, 2, 2, DateTimeKind.Utc), File.GetLastWriteTimeUtc(temp.File("out/notes.txt")));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path, ".*"));
    }

    [Fact]
    public void TheTreeHashIgnoresWhereTheFolderLives()
    {
        using var temp = new TempFolder();
        var tree = BuildTree(temp);
        var first = DreamCodec.Pack(tree, temp.File("a.fractal"), DreamFormat.Fractal, new PackOptions { Level = 1 }, false, null, CancellationToken.None);
        Directory.Move(tree, temp.File("moved"));
        var second = DreamCodec.Pack(temp.File("moved"), temp.File("b.fractal"), DreamFormat.Fractal, new PackOptions { Level = 1 }, false, null, CancellationToken.None);
        Assert.Equal(first.InputHash, second.InputHash);
        Assert.Equal(first.OutputHash, second.OutputHash);
    }

    [Fact]
    public void OpeningOverAnExistingFolderNeedsOverwriteAndThenReplacesIt()
    {
        using var temp = new TempFolder();
        var tree = BuildTree(temp);
        var packed = DreamCodec.Pack(tree, temp.File("t.fractal"), DreamFormat.Fractal, new PackOptions { Level = 1 }, false, null, CancellationToken.None);
        temp.Write("out/stale.txt", "old"u8.ToArray());

        var error = Assert.ThrowsAny<DreamException>(() => DreamCodec.Open(packed.OutputPath, temp.File("out"), null, false, null, CancellationToken.None));
        Assert.Equal("DestinationExists", error.ErrorId);
        Assert.True(File.Exists(temp.File("out/stale.txt")));

        DreamCodec.Open(packed.OutputPath, temp.File("out"), null, true, null, CancellationToken.None);
        Assert.False(File.Exists(temp.File("out/stale.txt")));
        Assert.True(File.Exists(temp.File("out/notes.txt")));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path, ".*"));
    }

    [Fact]
    public void NeverReplacesTheFolderThatHoldsTheArchive()
    {
        using var temp = new TempFolder();
        var tree = BuildTree(temp);
        var archive = DreamCodec.Pack(tree, temp.File("tree/inside.fractal"), DreamFormat.Fractal, new PackOptions { Level = 1 }, false, null, CancellationToken.None);
        var error = Assert.ThrowsAny<DreamException>(() => DreamCodec.Open(archive.OutputPath, tree, null, true, null, CancellationToken.None));
        Assert.Equal("DestinationContainsSource", error.ErrorId);
        Assert.True(File.Exists(archive.OutputPath));
        var root = Assert.ThrowsAny<DreamException>(() => DreamCodec.Open(archive.OutputPath, "/", null, true, null, CancellationToken.None));
        Assert.Equal("InvalidPath", root.ErrorId);
    }
}
