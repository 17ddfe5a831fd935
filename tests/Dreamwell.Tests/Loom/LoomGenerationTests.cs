using Dreamwell.Loom;
using Xunit;

namespace Dreamwell.Tests.Loom;

public sealed class LoomGenerationTests
{
    private static readonly Lazy<LoomState> Trained = new(() =>
    {
        var trainer = LoomTrainer.Create(LoomTestText.Corpus, LoomTestText.TinyConfig, LoomTestText.TinyOptions(300));
        trainer.Train();
        return trainer.Snapshot();
    });

    [Fact]
    public void SameSeedSameText_DifferentSeedDifferentText()
    {
        var generator = new LoomGenerator(Trained.Value);
        var options = new LoomSamplingOptions { MaxTokens = 60, Temperature = 1f, Seed = 1 };
        string a = string.Concat(generator.Generate("the ", options));
        string b = string.Concat(generator.Generate("the ", options));
        string c = string.Concat(generator.Generate("the ", options with { Seed = 2 }));
        Assert.Equal(60, a.Length);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void GreedyAndTopOneAgree_AndTheModelLearnedItsText()
    {
        var generator = new LoomGenerator(Trained.Value);
        string greedy = string.Concat(generator.Generate("the dream ", new LoomSamplingOptions { MaxTokens = 20, Temperature = 0 }));
        string topOne = string.Concat(generator.Generate("the dream ", new LoomSamplingOptions { MaxTokens = 20, Temperature = 0.7f, TopK = 1, Seed = 9 }));
        Assert.Equal(greedy, topOne);
        Assert.True(LoomTestText.Corpus.Contains("the dream " + greedy[..4]), $"greedy continuation '{greedy}' is not from the text");
    }

    [Fact]
    public void StreamsOneCharacterAtATime()
    {
        var generator = new LoomGenerator(Trained.Value);
        int count = 0;
        foreach (var piece in generator.Generate("a", new LoomSamplingOptions { MaxTokens = 5, TopP = 0.9f }))
        {
            Assert.Equal(1, piece.Length);
            count++;
        }
        Assert.Equal(5, count);
    }

    [Fact]
    public void UnknownPromptCharactersAreListedOrSkipped()
    {
        var generator = new LoomGenerator(Trained.Value);
        var e = Assert.Throws<DreamException>(() => generator.Generate("the Zebra€", new LoomSamplingOptions()));
        Assert.Equal("LoomUnknownCharacters", e.ErrorId);
        Assert.Contains("'Z'", e.Message);
        Assert.Contains("'€'", e.Message);
        var text = string.Concat(generator.Generate("the Zebra€", new LoomSamplingOptions { MaxTokens = 3, UnknownCharacters = UnknownCharacterPolicy.Skip }));
        Assert.Equal(3, text.Length);
    }
}
