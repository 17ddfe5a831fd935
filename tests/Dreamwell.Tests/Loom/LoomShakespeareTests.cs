using Dreamwell.Tests.Support;
using Dreamwell.Loom;
using Xunit;
using Xunit.Abstractions;

namespace Dreamwell.Tests.Loom;

/// <summary>A seconds-long run on the shared tinyshakespeare text (skipped, with a message, where it is absent).</summary>
public sealed class LoomShakespeareTests(ITestOutputHelper output)
{
    [SharedDataFact("tinyshakespeare.txt")]
    public void LossFallsOnShakespeare()
    {
        var text = File.ReadAllText(SharedData.FilePath("tinyshakespeare.txt")!)[..40_000];
        var trainer = LoomTrainer.Create(text, new LoomConfig { Dim = 32, Blocks = 2, Heads = 2, Context = 32 },
            new LoomTrainingOptions { BatchSize = 16, LearningRate = 5e-3f, WarmupSteps = 10, MaxSteps = 80, EvalInterval = 40, EvalBatches = 4, Threads = 2 });
        float before = trainer.EvaluateValidation();
        var result = trainer.Train();
        output.WriteLine($"validation loss {before:F3} -> {result.ValidationLoss:F3} in {result.Elapsed.TotalSeconds:F1} s");
        Assert.True(result.ValidationLoss < before - 1.0f, $"validation loss went from {before} to {result.ValidationLoss}");
    }
}
