using Dreamwell.Loom;
using Xunit;

namespace Dreamwell.Tests.Loom;

public sealed class LoomCheckpointTests
{
    private static (LoomTrainer Trainer, string Path, LoomTestText.TempFolder Temp) Saved(int steps = 4)
    {
        var temp = new LoomTestText.TempFolder();
        var trainer = LoomTrainer.Create(LoomTestText.Corpus, LoomTestText.TinyConfig, LoomTestText.TinyOptions(steps) with { EvalInterval = 2 });
        trainer.Train();
        var path = temp.File("model.quantumtensor");
        LoomCheckpoint.Save(path, trainer.Snapshot());
        return (trainer, path, temp);
    }

    [Fact]
    public void RoundTripKeepsEverything()
    {
        var (trainer, path, temp) = Saved();
        using var _ = temp;
        var state = LoomCheckpoint.Load(path);
        Assert.Equal(trainer.Config, state.Config);
        Assert.Equal(trainer.Options, state.Training);
        Assert.Equal(trainer.Model.Parameters, state.Parameters);
        Assert.Equal(trainer.AdamM, state.AdamM);
        Assert.Equal(trainer.AdamV, state.AdamV);
        Assert.Equal(4, state.Step);
        Assert.Equal(trainer.LossHistory, state.LossHistory);
        Assert.Equal(trainer.ValidationHistory, state.ValidationHistory);
        var info = LoomCheckpoint.Inspect(path);
        Assert.Equal(trainer.Config.ParameterCount, info.ParameterCount);
        Assert.Equal(64, info.Blake3.Length);
        Assert.Single(Directory.GetFiles(temp.Path)); // no temp files left behind
    }

    [Fact]
    public void AnyFlippedByteIsDetected()
    {
        var (_, path, temp) = Saved();
        using var _t = temp;
        var original = File.ReadAllBytes(path);
        foreach (var position in new[] { 0, 9, 20, original.Length / 2, original.Length - 40, original.Length - 1 })
        {
            var damaged = (byte[])original.Clone();
            damaged[position] ^= 0x20;
            File.WriteAllBytes(path, damaged);
            var e = Assert.ThrowsAny<DreamFormatException>(() => LoomCheckpoint.Load(path));
            Assert.StartsWith("LoomCheckpoint", e.ErrorId);
        }
    }

    [Fact]
    public void TruncatedAndForeignFilesAreRejected()
    {
        var (_, path, temp) = Saved();
        using var _t = temp;
        var original = File.ReadAllBytes(path);
        File.WriteAllBytes(path, original[..(original.Length / 3)]);
        Assert.Equal("LoomCheckpointCorrupt", Assert.ThrowsAny<DreamFormatException>(() => LoomCheckpoint.Load(path)).ErrorId);
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal("LoomCheckpointInvalid", Assert.ThrowsAny<DreamFormatException>(() => LoomCheckpoint.Load(path)).ErrorId);
        Assert.Equal("LoomCheckpointNotFound", Assert.Throws<DreamException>(() => LoomCheckpoint.Load(temp.File("missing.quantumtensor"))).ErrorId);
    }
}
