using Dreamwell.Loom;
using Xunit;
using Xunit.Abstractions;

namespace Dreamwell.Tests.Loom;

/// <summary>A seconds-long run on the shared tinyshakespeare text (skipped, with a message, where it is absent).</summary>
public sealed class LoomShakespeareTests(ITestOutputHelper output)
{
    internal static string? FindTinyShakespeare()
    {
        if (Environment.GetEnvironmentVariable("DREAMWELL_SHARED") is { Length: > 0 } env)
            return File.Exists(Path.Combine(env, "data", "tinyshakespeare.txt")) ? Path.Combine(env, "data", "tinyshakespeare.txt") : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "tinyshakespeare.txt");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    [Fact]
    public void LossFallsOnShakespeare()
    {
        var path = FindTinyShakespeare();
        if (path is null)
        {
            output.WriteLine("SKIPPED: shared/data/tinyshakespeare.txt not found (set DREAMWELL_SHARED).");
            return;
        }
        var text = File.ReadAllText(path)[..40_000];
        var trainer = LoomTrainer.Create(text, new LoomConfig { Dim = 32, Blocks = 2, Heads = 2, Context = 32 },
            new LoomTrainingOptions { BatchSize = 16, LearningRate = 5e-3f, WarmupSteps = 10, MaxSteps = 80, EvalInterval = 40, EvalBatches = 4, Threads = 2 });
        float before = trainer.EvaluateValidation();
        var result = trainer.Train();
        output.WriteLine($"validation loss {before:F3} -> {result.ValidationLoss:F3} in {result.Elapsed.TotalSeconds:F1} s");
        Assert.True(result.ValidationLoss < before - 1.0f, $"validation loss went from {before} to {result.ValidationLoss}");
    }
}
