using System.Numerics;
using Dreamwell.Quantum;
using Xunit;

namespace Dreamwell.Tests.Quantum;

public class HermitianEigenTests
{
    [Fact]
    public void Diagonal_matrix_gives_its_diagonal_sorted()
    {
        var m = new Complex[9];
        m[0] = 3; m[4] = -1; m[8] = 2;
        var values = new double[3];
        HermitianEigen.Eigenvalues(m, 3, values);
        Assert.Equal(new[] { -1.0, 2.0, 3.0 }, values.Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Two_by_two_matches_closed_form()
    {
        // [[a, b], [b*, d]] has eigenvalues (a+d)/2 ± √(((a−d)/2)² + |b|²).
        double a = 0.7, d = -0.3;
        var b = new Complex(0.2, -0.4);
        var values = new double[2];
        HermitianEigen.Eigenvalues(new[] { new Complex(a, 0), b, Complex.Conjugate(b), new Complex(d, 0) }, 2, values);
        double mid = (a + d) / 2, r = Math.Sqrt((a - d) * (a - d) / 4 + b.Magnitude * b.Magnitude);
        Assert.Equal(mid - r, values[0], 12);
        Assert.Equal(mid + r, values[1], 12);
    }

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(5)] [InlineData(8)] [InlineData(20)]
    public void Eigenvectors_satisfy_A_v_equals_lambda_v_and_are_orthonormal(int n)
    {
        var rng = new Random(n * 7919);
        var h = QuantumSamples.RandomHamiltonian(n, rng);
        var a = new Complex[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i * n + j] = h[i, j];
        var values = new double[n];
        var vectors = new Complex[n * n];
        HermitianEigen.Decompose(a, n, values, vectors);
        for (int k = 0; k < n; k++)
        {
            for (int i = 0; i < n; i++)
            {
                Complex av = 0;
                for (int j = 0; j < n; j++) av += a[i * n + j] * vectors[j * n + k];
                Assert.True((av - values[k] * vectors[i * n + k]).Magnitude < 1e-11, $"residual at k={k}, i={i}");
            }
            for (int l = 0; l < n; l++)
            {
                Complex dot = 0;
                for (int i = 0; i < n; i++) dot += Complex.Conjugate(vectors[i * n + k]) * vectors[i * n + l];
                Assert.True((dot - (k == l ? 1 : 0)).Magnitude < 1e-11, $"orthonormality at {k},{l}");
            }
        }
        var only = new double[n];
        HermitianEigen.Eigenvalues(a, n, only);
        for (int k = 0; k < n; k++) Assert.Equal(values[k], only[k], 12);
        for (int k = 1; k < n; k++) Assert.True(values[k - 1] <= values[k]);
    }

    [Fact]
    public void Degenerate_spectrum_is_resolved()
    {
        var values = new double[5];
        HermitianEigen.Eigenvalues(DensityMatrix.MaximallyMixed(5).Elements, 5, values);
        Assert.All(values, v => Assert.Equal(0.2, v, 14));
    }
}
