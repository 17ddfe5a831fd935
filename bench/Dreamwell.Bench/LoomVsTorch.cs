using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Dreamwell.Loom;

namespace Dreamwell.Bench;

/// <summary>
/// Loom's trainer against ../shared/anchors/torch_char_gpt.py (the same model in PyTorch), one run, same config:
/// dim 86, 8 blocks, 2 heads, context 64, batch 32, 2 threads. Prints tokens/s of both, their ratio and each validation loss.
/// Usage: loom-vs-torch [--corpus PATH] [--steps 60] [--rounds 3] [--threads 2] [--anchor PATH] [--no-anchor] [--profile]
/// </summary>
public sealed partial class LoomVsTorch : ISideBySide
{
    public string Name => "loom-vs-torch";

    public int Run(string[] args)
    {
        string? corpus = Arg(args, "--corpus") ?? FindShared("data/tinyshakespeare.txt");
        string? anchor = Arg(args, "--anchor") ?? FindShared("anchors/torch_char_gpt.py");
        int steps = int.Parse(Arg(args, "--steps") ?? "60", CultureInfo.InvariantCulture);
        int rounds = int.Parse(Arg(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);
        int threads = int.Parse(Arg(args, "--threads") ?? "2", CultureInfo.InvariantCulture);
        bool runAnchor = !args.Contains("--no-anchor");
        if (corpus is null || !File.Exists(corpus))
        {
            Console.Error.WriteLine("loom-vs-torch: tinyshakespeare.txt not found (pass --corpus or set DREAMWELL_SHARED); skipped.");
            return 2;
        }
        Console.WriteLine($"corpus={corpus} steps={steps} rounds={rounds} threads={threads} cpu={Environment.ProcessorCount} cores");
        Console.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()}");
        var text = File.ReadAllText(corpus);
        var config = new LoomConfig { Dim = 86, Blocks = 8, Heads = 2, Context = 64 };
        var options = new LoomTrainingOptions { BatchSize = 32, LearningRate = 1e-3f, WarmupSteps = 0, MaxSteps = 1_000_000, Threads = threads, EvalBatches = 20 };
        var loomRates = new List<double>();
        var torchRates = new List<double>();
        float loomVal = float.NaN;
        string torchVal = "n/a";
        for (int round = 0; round < rounds; round++)
        {
            var profiler = args.Contains("--profile") ? new ProfilingBackend(new CpuBackend(threads)) : null;
            var trainer = LoomTrainer.Create(text, config, options, profiler);
            for (int i = 0; i < 3; i++) trainer.TrainStep(); // warm-up, like the anchor
            profiler?.Times.Clear();
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            float loss = 0;
            for (int i = 0; i < steps; i++) loss = trainer.TrainStep();
            clock.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            double rate = steps * 32.0 * 64 / clock.Elapsed.TotalSeconds;
            if (profiler is not null)
                foreach (var (name, (ms, calls)) in profiler.Times.OrderByDescending(kv => kv.Value.Ms))
                    Console.WriteLine($"  {name,-22} {ms / steps,8:F2} ms/step  {calls / steps,5} calls/step");
            loomVal = trainer.EvaluateValidation();
            loomRates.Add(rate);
            Console.WriteLine($"round {round + 1}: loom tokens_per_s={rate:F0} train_loss={loss:F4} val_loss={loomVal:F4} step_ms={clock.Elapsed.TotalMilliseconds / steps:F1} alloc_per_step_bytes={allocated / steps} backend={trainer.Model.Backend.Name}");
            if (runAnchor && anchor is not null && File.Exists(anchor))
            {
                var (torchRate, val, outputText) = RunAnchor(anchor, corpus, steps, threads);
                if (torchRate is { } r) { torchRates.Add(r); torchVal = val ?? "n/a"; Console.WriteLine($"round {round + 1}: torch tokens_per_s={r:F0} val_loss={torchVal}"); }
                else Console.WriteLine($"round {round + 1}: torch anchor failed: {outputText.Trim()}");
            }
        }
        double loomMedian = Median(loomRates);
        Console.WriteLine($"loom  median tokens_per_s={loomMedian:F0}");
        if (torchRates.Count > 0)
        {
            double torchMedian = Median(torchRates);
            Console.WriteLine($"torch median tokens_per_s={torchMedian:F0}");
            Console.WriteLine($"ratio loom/torch={loomMedian / torchMedian:F2}");
        }
        Console.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static (double? Rate, string? Val, string Output) RunAnchor(string anchor, string corpus, int steps, int threads)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { anchor, corpus, "--steps", steps.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        start.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var text = stdout.Result + stderr.Result;
        var match = AnchorLine().Match(text);
        if (!match.Success) return (null, null, text);
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, text);
    }

    [GeneratedRegex(@"tokens_per_s=([0-9.]+) val_loss=([0-9.]+)")]
    private static partial Regex AnchorLine();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>DREAMWELL_SHARED, else a folder named shared beside an ancestor of the working directory or the binary.</summary>
    internal static string? FindShared(string relative)
    {
        if (Environment.GetEnvironmentVariable("DREAMWELL_SHARED") is { Length: > 0 } env)
            return Path.Combine(env, relative);
        foreach (var origin in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", relative);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
