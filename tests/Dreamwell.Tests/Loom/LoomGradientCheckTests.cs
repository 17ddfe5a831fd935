using Dreamwell.Loom;
using Xunit;
using Xunit.Abstractions;

namespace Dreamwell.Tests.Loom;

/// <summary>
/// Finite-difference checks of the hand-written backward pass: for every parameter tensor (every layer), sampled
/// entries of the analytic gradient must match (L(θ+ε) − L(θ−ε)) / 2ε.
/// </summary>
public sealed class LoomGradientCheckTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(20, 2, 2, 6, 0f, 1)]   // vector kernels with ragged widths (20, 60, 80)
    [InlineData(8, 1, 2, 5, 0f, 2)]    // scalar fallback widths (< 16)
    [InlineData(20, 2, 4, 6, 0.2f, 2)] // dropout masks held fixed by reseeding
    [InlineData(36, 1, 2, 20, 0f, 2)]  // attention products on the vector path (head 18, length 20)
    [InlineData(36, 1, 1, 40, 0f, 1)]  // three causal row blocks (16, 16, 8), one head of 36
    public void AnalyticGradientsMatchFiniteDifferences(int dim, int blocks, int heads, int context, float dropout, int threads)
    {
        var config = new LoomConfig { VocabSize = 7, Dim = dim, Blocks = blocks, Heads = heads, Context = context, Dropout = dropout };
        const int batch = 2;
        var model = new LoomModel(config, new CpuBackend(threads), batch);
        var random = new LoomRandom(7);
        // Larger weights than training uses, so every gradient is well above float32 noise.
        for (int i = 0; i < model.Parameters.Length; i++) model.Parameters[i] = random.NextGaussian() * 0.3f;
        int t = context;
        for (int i = 0; i < batch * t; i++) { model.Tokens[i] = random.NextInt(7); model.Targets[i] = random.NextInt(7); }

        float Loss() => model.Forward(batch, t, withTargets: true, training: dropout > 0, dropoutRandom: new LoomRandom(99));

        Array.Clear(model.Gradients);
        Loss();
        model.Backward();
        var analytic = (float[])model.Gradients.Clone();

        const float epsilon = 1e-2f;
        int checkedCount = 0;
        foreach (var tensor in model.Layout.All)
        {
            double worst = 0;
            for (int sample = 0; sample < 6; sample++)
            {
                int index = tensor.Offset + random.NextInt(tensor.Length);
                float saved = model.Parameters[index];
                model.Parameters[index] = saved + epsilon;
                double plus = Loss();
                model.Parameters[index] = saved - epsilon;
                double minus = Loss();
                model.Parameters[index] = saved;
                double numeric = (plus - minus) / (2 * epsilon);
                double error = Math.Abs(numeric - analytic[index]) / Math.Max(1e-2, Math.Abs(numeric) + Math.Abs(analytic[index]));
                worst = Math.Max(worst, error);
                Assert.True(error < 2e-2, $"{tensor.Name}[{index - tensor.Offset}]: analytic {analytic[index]:G6}, numeric {numeric:G6}");
                checkedCount++;
            }
            output.WriteLine($"{tensor.Name,-20} worst relative error {worst:E2}");
        }
        Assert.Equal(model.Layout.All.Count * 6, checkedCount);
    }
}
