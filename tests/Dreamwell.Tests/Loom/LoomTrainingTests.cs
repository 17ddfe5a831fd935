using Dreamwell.Loom;
using Xunit;

namespace Dreamwell.Tests.Loom;

public sealed class LoomTrainingTests
{
    [Fact]
    public void ShortTrainingRunLowersTheLoss()
    {
        var trainer = LoomTrainer.Create(LoomTestText.Corpus, LoomTestText.TinyConfig, LoomTestText.TinyOptions(60));
        float initialValidation = trainer.EvaluateValidation();
        var result = trainer.Train();
        Assert.Equal(60, result.Step);
        Assert.False(result.Stopped);
        float firstLosses = trainer.LossHistory.Take(5).Average();
        float lastLosses = trainer.LossHistory.TakeLast(5).Average();
        Assert.True(lastLosses < firstLosses * 0.7f, $"training loss went from {firstLosses} to {lastLosses}");
        Assert.True(result.ValidationLoss < initialValidation * 0.7f, $"validation loss went from {initialValidation} to {result.ValidationLoss}");
        Assert.Equal(6, trainer.ValidationHistory.Count);
    }

    [Fact]
    public void SameSeedGivesIdenticalLosses()
    {
        var a = LoomTrainer.Create(LoomTestText.Corpus, LoomTestText.TinyConfig, LoomTestText.TinyOptions(12));
        var b = LoomTrainer.Create(LoomTestText.Corpus, LoomTestText.TinyConfig, LoomTestText.TinyOptions(12) with { Threads = 1 });
        a.Train();
        b.Train();
        Assert.Equal(a.LossHistory, b.LossHistory);
        Assert.Equal(a.Model.Parameters, b.Model.Parameters);
    }

    [Fact]
    public void ResumingFromACheckpointIsBitExact()
    {
        using var temp = new LoomTestText.TempFolder();
        var options = LoomTestText.TinyOptions(20);
        var straight = LoomTrainer.Create(LoomTestText.Corpus, LoomTestText.TinyConfig with { Dropout = 0.1f }, options);
        straight.Train();

        var first = LoomTrainer.Create(LoomTestText.Corpus, LoomTestText.TinyConfig with { Dropout = 0.1f }, options);
        var half = first.Train(stopAtStep: 10);
        Assert.Equal(10, half.Step);
        var path = temp.File("half.quantumtensor");
        LoomCheckpoint.Save(path, first.Snapshot());
        var resumed = LoomTrainer.Resume(LoomCheckpoint.Load(path), LoomTestText.Corpus);
        resumed.Train();

        Assert.Equal(straight.LossHistory, resumed.LossHistory);
        Assert.Equal(straight.ValidationHistory, resumed.ValidationHistory);
        Assert.Equal(straight.Model.Parameters, resumed.Model.Parameters);
    }

    [Fact]
    public void CancellationStopsBetweenStepsAndSaysSo()
    {
        var trainer = LoomTrainer.Create(LoomTestText.Corpus, LoomTestText.TinyConfig, LoomTestText.TinyOptions(1000));
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<LoomProgress>(p => { if (p.Step == 3) cts.Cancel(); });
        var result = trainer.Train(cts.Token, progress);
        Assert.True(result.Stopped);
        Assert.Equal(3, result.Step);
    }

    [Fact]
    public void HeadsThatDoNotDivideDimAreRejectedWithTheAllowedValues()
    {
        var e = Assert.Throws<DreamException>(() => LoomTrainer.Create(LoomTestText.Corpus, new LoomConfig { Dim = 86, Heads = 3 }, LoomTestText.TinyOptions(1)));
        Assert.Equal("LoomHeadsMustDivideDim", e.ErrorId);
        Assert.Contains("1, 2, 43, 86", e.Message);
    }

    [Fact]
    public void LearningRateWarmsUpThenDecaysToTheFloor()
    {
        var trainer = LoomTrainer.Create(LoomTestText.Corpus, LoomTestText.TinyConfig, LoomTestText.TinyOptions(100) with { WarmupSteps = 10, LearningRate = 1f, MinLearningRateFraction = 0.1f });
        Assert.Equal(0.1f, trainer.LearningRateAt(0), 5);
        Assert.Equal(1f, trainer.LearningRateAt(9), 5);
        Assert.True(trainer.LearningRateAt(50) < 1f && trainer.LearningRateAt(50) > 0.1f);
        Assert.Equal(0.1f, trainer.LearningRateAt(100), 5);
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
