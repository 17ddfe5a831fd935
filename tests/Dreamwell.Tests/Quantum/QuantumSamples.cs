using System.Numerics;
using Dreamwell.Quantum;
using FsCheck;
using FsCheck.Fluent;

namespace Dreamwell.Tests.Quantum;

/// <summary>A reproducible random valid state (and Hamiltonian) drawn from a seed FsCheck supplies.</summary>
public sealed record RandomCase(int Dimension, int Rank, int Seed)
{
    public DensityMatrix State() => QuantumSamples.RandomState(Dimension, Rank, new Random(Seed));
    public Hamiltonian Hamiltonian() => QuantumSamples.RandomHamiltonian(Dimension, new Random(Seed ^ 0x5bd1e995));
    public double Temperature => 0.05 + new Random(Seed ^ 0x2545f491).NextDouble() * 5;
    public override string ToString() => $"n={Dimension} rank={Rank} seed={Seed}";
}

public static class QuantumSamples
{
    /// <summary>ρ = GG†/Tr(GG†) for a random complex n×rank G: a valid state of the given rank.</summary>
    public static DensityMatrix RandomState(int n, int rank, Random rng)
    {
        var g = new Complex[n, rank];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < rank; k++) g[i, k] = new Complex(Gaussian(rng), Gaussian(rng));
        var m = new Complex[n, n];
        double trace = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                Complex s = 0;
                for (int k = 0; k < rank; k++) s += g[i, k] * Complex.Conjugate(g[j, k]);
                m[i, j] = s;
                if (i == j) trace += s.Real;
            }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m[i, j] /= trace;
        return DensityMatrix.FromMatrix(m);
    }

    public static Hamiltonian RandomHamiltonian(int n, Random rng)
    {
        var h = new Complex[n, n];
        for (int i = 0; i < n; i++)
        {
            h[i, i] = Gaussian(rng);
            for (int j = i + 1; j < n; j++)
            {
                h[i, j] = new Complex(Gaussian(rng), Gaussian(rng));
                h[j, i] = Complex.Conjugate(h[i, j]);
            }
        }
        return Hamiltonian.FromMatrix(h);
    }

    public static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}

/// <summary>FsCheck generators: dimension 1..6, rank 1..n (so pure and rank-deficient states appear), any seed.</summary>
public static class QuantumArbitraries
{
    public static Arbitrary<RandomCase> Cases() =>
        (from n in Gen.Choose(1, 6)
         from rank in Gen.Choose(1, n)
         from seed in Gen.Choose(0, int.MaxValue)
         select new RandomCase(n, rank, seed)).ToArbitrary();
}

/// <summary>Same, fixed at the node's 5×5.</summary>
public static class Quantum5Arbitraries
{
    public static Arbitrary<RandomCase> Cases() =>
        (from rank in Gen.Choose(1, 5)
         from seed in Gen.Choose(0, int.MaxValue)
         select new RandomCase(5, rank, seed)).ToArbitrary();
}
