using Dreamwell.Loom;
using Xunit;

namespace Dreamwell.Tests.Loom;

public sealed class LoomCorpusTests
{
    [Fact]
    public void AFolderIsItsTextFilesInPathOrder()
    {
        using var temp = new LoomTestText.TempFolder();
        Directory.CreateDirectory(temp.File("sub"));
        File.WriteAllText(temp.File("b.md"), "bravo");
        File.WriteAllText(temp.File("a.txt"), "alpha\n");
        File.WriteAllText(temp.File(Path.Combine("sub", "c.md")), "charlie");
        File.WriteAllBytes(temp.File("image.png"), [0x89, 0x50, 0x4E, 0x47]);
        Assert.Equal("alpha\nbravo\ncharlie\n", LoomCorpus.Load(temp.Path));
    }

    [Fact]
    public void MissingAndEmptyCorporaAreClearErrors()
    {
        using var temp = new LoomTestText.TempFolder();
        Assert.Equal("LoomCorpusNotFound", Assert.Throws<DreamException>(() => LoomCorpus.Load(temp.File("nope"))).ErrorId);
        Assert.Equal("LoomEmptyCorpus", Assert.Throws<DreamException>(() => LoomCorpus.Load(temp.Path)).ErrorId);
        File.WriteAllText(temp.File("tiny.txt"), "abc");
        Assert.Equal("LoomCorpusTooSmall", Assert.Throws<DreamException>(() => LoomTrainer.Create("abc", LoomTestText.TinyConfig, LoomTestText.TinyOptions(1))).ErrorId);
    }

    [Fact]
    public void TokenizerOrdersByCodePointAndRoundTrips()
    {
        var tokenizer = CharTokenizer.FromText("hello, wörld 🌍");
        Assert.Equal(tokenizer.CodePoints.Order(), tokenizer.CodePoints);
        Assert.Equal(' ', tokenizer.CodePoints[0]);
        Assert.Equal("wörld 🌍", tokenizer.Decode(tokenizer.Encode("wörld 🌍")));
    }
}
