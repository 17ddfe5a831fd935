using Dreamwell.Loom;
using Xunit;

namespace Dreamwell.Tests.Loom;

public sealed class LoomMatMulTests
{
    [Theory]
    [InlineData(1, 1, 1, false, false)]
    [InlineData(7, 5, 3, false, true)]
    [InlineData(9, 86, 86, false, false)]
    [InlineData(33, 86, 258, false, true)]
    [InlineData(64, 344, 86, false, false)]
    [InlineData(86, 200, 65, true, true)]
    [InlineData(86, 300, 344, true, false)]
    [InlineData(5, 130, 17, true, false)]
    [InlineData(13, 129, 16, false, true)]
    public void MatchesNaiveProduct(int m, int k, int n, bool transposeA, bool accumulate)
    {
        var random = new LoomRandom(42);
        int lda = transposeA ? m + 3 : k + 2;  // leading dimensions wider than the matrix on purpose
        var a = Fill(new float[(transposeA ? k : m) * lda + 1], random);
        var b = Fill(new float[k * n + 1], random);
        var c = Fill(new float[m * n + 1], random);
        var expected = (float[])c.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? expected[1 + i * n + j] : 0;
                for (int kk = 0; kk < k; kk++)
                    sum += (double)(transposeA ? a[1 + kk * lda + i] : a[1 + i * lda + kk]) * b[1 + kk * n + j];
                expected[1 + i * n + j] = (float)sum;
            }
        foreach (var threads in new[] { 1, 2 })
        {
            var actual = (float[])c.Clone();
            new CpuBackend(threads).MatMul(a, 1, lda, transposeA, b, 1, n, actual, 1, n, m, k, n, accumulate);
            Assert.Equal(c[0], actual[0]);
            for (int i = 1; i < actual.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"element {i - 1}: expected {expected[i]}, got {actual[i]} (threads {threads})");
        }
    }

    private static float[] Fill(float[] values, LoomRandom random)
    {
        for (int i = 0; i < values.Length; i++) values[i] = random.NextFloat() * 2 - 1;
        return values;
    }
}
