using Xunit;
using Dreamwell.Formats;

namespace Dreamwell.Tests.Formats;

public sealed class DeltaTests
{
    [Fact]
    public void AnInsertionInTheMiddleOfALargeFileGivesASmallDelta()
    {
        using var temp = new TempFolder();
        var original = FormatTestData.Random(32 << 20, seed: 5);
        var inserted = FormatTestData.Random(100, seed: 6);
        var middle = original.Length / 2 + 12345;
        byte[] target = [.. original[..middle], .. inserted, .. original[middle..]];
        var basePath = temp.Write("base.bin", original);
        var targetPath = temp.Write("target.bin", target);

        var delta = DreamCodec.CreateDelta(basePath, targetPath, temp.File("t.qdlt"), new PackOptions(), false, null, CancellationToken.None);

        Assert.True(delta.BytesOut < 64 << 10, $"delta is {delta.BytesOut} bytes for a 100-byte insertion into 32 MiB");
        var info = DreamCodec.Inspect(delta.OutputPath);
        Assert.True(info.ChunkCount <= 5, $"{info.ChunkCount} ops");
        Assert.Equal(Blake3Hash.Hex(original), DreamCodec.DeltaBaseHash(delta.OutputPath));
        var opened = DreamCodec.Open(delta.OutputPath, temp.File("restored.bin"), basePath, false, null, CancellationToken.None);
        Assert.Equal(Blake3Hash.Hex(target), opened.OutputHash);
        Assert.True(File.ReadAllBytes(temp.File("restored.bin")).AsSpan().SequenceEqual(target));
    }

    [Fact]
    public void OpeningWithTheWrongBaseIsRefusedAndWritesNothing()
    {
        using var temp = new TempFolder();
        var basePath = temp.Write("base.bin", FormatTestData.Text(200_000));
        var targetPath = temp.Write("target.bin", FormatTestData.Text(210_000));
        var delta = DreamCodec.CreateDelta(basePath, targetPath, temp.File("t.qdlt"), new PackOptions(), false, null, CancellationToken.None);

        var sameSize = FormatTestData.Text(200_000);
        sameSize[100_000] ^= 1;
        var wrong = temp.Write("wrong.bin", sameSize);
        var shorter = temp.Write("short.bin", FormatTestData.Text(1000));
        foreach (var badBase in new[] { wrong, shorter })
        {
            var error = Assert.ThrowsAny<DreamException>(() => DreamCodec.Open(delta.OutputPath, temp.File("out.bin"), badBase, false, null, CancellationToken.None));
            Assert.Equal("BaseMismatch", error.ErrorId);
        }
        var missing = Assert.ThrowsAny<DreamException>(() => DreamCodec.Open(delta.OutputPath, temp.File("out.bin"), null, false, null, CancellationToken.None));
        Assert.Equal("BaseRequired", missing.ErrorId);
        Assert.False(File.Exists(temp.File("out.bin")));
        Assert.Equal(5, Directory.GetFileSystemEntries(temp.Path).Length);
    }

    [Fact]
    public void AnIdenticalTargetIsOneCopy()
    {
        using var temp = new TempFolder();
        var content = FormatTestData.Random(3 << 20);
        var basePath = temp.Write("base.bin", content);
        var targetPath = temp.Write("target.bin", content);
        var delta = DreamCodec.CreateDelta(basePath, targetPath, temp.File("t.qdlt"), new PackOptions(), false, null, CancellationToken.None);
        Assert.Equal(1, DreamCodec.Inspect(delta.OutputPath).ChunkCount);
        Assert.True(delta.BytesOut < 512);
    }
}
