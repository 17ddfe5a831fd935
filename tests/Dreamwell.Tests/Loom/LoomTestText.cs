using Dreamwell.Loom;

namespace Dreamwell.Tests.Loom;

internal static class LoomTestText
{
    /// <summary>A small, repetitive corpus written for these tests, so a tiny model learns it in seconds.</summary>
    public static readonly string Corpus = string.Concat(Enumerable.Range(0, 60).Select(i =>
        $"the loom weaves line {i % 7}; the dream keeps the thread. a small model learns the pattern of the words.\n"));

    public static LoomConfig TinyConfig => new() { Dim = 24, Blocks = 2, Heads = 2, Context = 16 };

    public static LoomTrainingOptions TinyOptions(int maxSteps) => new()
    {
        BatchSize = 8, LearningRate = 1e-2f, WarmupSteps = 5, MaxSteps = maxSteps, EvalInterval = 10, EvalBatches = 2, Seed = 7, Threads = 2,
    };

    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("loom-test-").FullName;
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
    }
}
