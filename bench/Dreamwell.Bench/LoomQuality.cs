using System.Diagnostics;
using System.Globalization;
using Dreamwell.Loom;

namespace Dreamwell.Bench;

/// <summary>
/// Bounded-time training on tinyshakespeare with the default model, printing the validation curve (docs/loom.md).
/// Usage: loom-quality [--corpus PATH] [--minutes 15] [--steps 4000] [--lr 0.002] [--warmup 100] [--eval 250] [--checkpoint PATH] | --sample CHECKPOINT
/// </summary>
public sealed class LoomQuality : ISideBySide
{
    public string Name => "loom-quality";

    public int Run(string[] args)
    {
        string? Arg(string name) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
        double Number(string name, double fallback) => Arg(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        string? corpus = Arg("--corpus") ?? LoomVsTorch.FindShared("data/tinyshakespeare.txt");
        if (corpus is null || !File.Exists(corpus))
        {
            Console.Error.WriteLine("loom-quality: tinyshakespeare.txt not found (pass --corpus or set DREAMWELL_SHARED); skipped.");
            return 2;
        }
        if (Arg("--sample") is { } sampleFrom)
        {
            PrintSample(LoomCheckpoint.Load(sampleFrom));
            return 0;
        }
        double minutes = Number("--minutes", 15);
        var request = new LoomTrainRequest
        {
            Corpus = corpus,
            Checkpoint = Arg("--checkpoint") ?? Path.Combine(Path.GetTempPath(), "loom-quality.quantumtensor"),
            Config = new LoomConfig { Dim = 86, Blocks = 8, Heads = 2, Context = 64 },
            Training = new LoomTrainingOptions
            {
                BatchSize = 32, LearningRate = (float)Number("--lr", 2e-3), WarmupSteps = (int)Number("--warmup", 100),
                EvalInterval = (int)Number("--eval", 250), Threads = (int)Number("--threads", 2),
            },
            MaxSteps = (int)Number("--steps", 4000),
            Force = true,
            SaveEvery = 1000,
        };
        Console.WriteLine($"loom-quality corpus={corpus} minutes={minutes} steps={request.MaxSteps} lr={request.Training.LearningRate} load: {File.ReadAllText("/proc/loadavg").Trim()}");
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        var clock = Stopwatch.StartNew();
        int lastValidationStep = -1;
        var progress = new Progress(p =>
        {
            if (p.ValidationLoss is { } v && p.Step % request.Training.EvalInterval == 0 && p.Step != lastValidationStep)
            {
                lastValidationStep = p.Step;
                Console.WriteLine($"step={p.Step} minutes={clock.Elapsed.TotalMinutes:F2} train_loss={p.Loss:F4} val_loss={v:F4} tokens_per_s={p.TokensPerSecond:F0}");
            }
        });
        var result = LoomSession.Train(request, budget.Token, progress);
        Console.WriteLine($"final step={result.Step} minutes={clock.Elapsed.TotalMinutes:F2} val_loss={result.ValidationLoss:F4} stopped_by_time={result.Stopped} checkpoint={result.Checkpoint}");
        Console.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()}");
        PrintSample(LoomCheckpoint.Load(request.Checkpoint));
        return 0;
    }

    private static void PrintSample(LoomState state)
    {
        var generator = new LoomGenerator(state);
        var text = string.Concat(generator.Generate("ROMEO:\n", new LoomSamplingOptions { MaxTokens = 300, Temperature = 0.8f, Seed = 1 }));
        Console.WriteLine("sample (ROMEO:, temperature 0.8, seed 1):\nROMEO:\n" + text);
    }

    private sealed class Progress(Action<LoomProgress> report) : IProgress<LoomProgress>
    {
        public void Report(LoomProgress value) => report(value);
    }
}
