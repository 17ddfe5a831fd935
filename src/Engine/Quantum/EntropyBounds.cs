namespace Dreamwell.Quantum;

/// <summary>
/// Sharp bounds on the von Neumann entropy of an n-level state from its purity P = Tr ρ² alone.
/// Among spectra with a given P, entropy is largest for (λ, μ, …, μ) with one large value and n−1 equal
/// small ones, and smallest for (λ, …, λ, μ, 0, …, 0) with k equal large values and one smaller one,
/// where 1/(k+1) ≤ P ≤ 1/k (Harremoës &amp; Topsøe 2001; Berry &amp; Sanders 2003). Both extremes
/// decrease with P, so a table sampled on a grid gives rigorous bounds by reading the upper bound
/// at the grid point just below P and the lower bound at the grid point just above it.
/// </summary>
public sealed class EntropyBounds
{
    public const int GridPoints = 1024;
    private static readonly EntropyBounds?[] Cache = new EntropyBounds?[DensityMatrix.MaxDimension + 1];

    private readonly double[] _upper;
    private readonly double[] _lower;
    private readonly double _pMin;
    private readonly double _scale;

    private EntropyBounds(int n)
    {
        Dimension = n;
        _pMin = 1.0 / n;
        _scale = (GridPoints - 1) / (1 - _pMin);
        _upper = new double[GridPoints];
        _lower = new double[GridPoints];
        for (int g = 0; g < GridPoints; g++)
        {
            double p = g == GridPoints - 1 ? 1 : _pMin + g / _scale;
            _upper[g] = MaximumEntropy(n, p);
            _lower[g] = MinimumEntropy(n, p);
        }
    }

    public int Dimension { get; }

    /// <summary>The shared table for dimension n (built once, ~16 KiB per n).</summary>
    public static EntropyBounds For(int n)
    {
        DensityMatrix.RequireDimension(n);
        return Cache[n] ??= new EntropyBounds(n);
    }

    /// <summary>Lower and upper bound on S for any n-level state with purity <paramref name="purity"/>.</summary>
    public (double Lower, double Upper) Bracket(double purity)
    {
        double x = (purity - _pMin) * _scale;
        if (!(x > 0)) return (_lower[0], _upper[0]);
        if (x >= GridPoints - 1) return (_lower[GridPoints - 1], _upper[GridPoints - 1]);
        int below = (int)x;
        return (_lower[below + 1], _upper[below]);
    }

    /// <summary>Entropy of the spectrum (λ, μ, …, μ) with purity p: the most entropy purity p allows.</summary>
    public static double MaximumEntropy(int n, double p)
    {
        if (n == 1) return 0;
        p = Math.Clamp(p, 1.0 / n, 1);
        double lambda = (1 + Math.Sqrt(Math.Max(0, (n - 1) * (n * p - 1)))) / n;
        double mu = (1 - lambda) / (n - 1);
        return -XLogX(lambda) - (n - 1) * XLogX(mu);
    }

    /// <summary>Entropy of (λ, …, λ, μ, 0, …) with k equal λ ≥ μ and purity p: the least entropy purity p allows.</summary>
    public static double MinimumEntropy(int n, double p)
    {
        if (n == 1) return 0;
        p = Math.Clamp(p, 1.0 / n, 1);
        int k = Math.Clamp((int)Math.Floor(1 / p), 1, n);
        if (k == n) return Math.Log(n);
        double disc = Math.Max(0, k * (double)k - k * (k + 1.0) * (1 - p));
        double lambda = (k + Math.Sqrt(disc)) / (k * (k + 1.0));
        double mu = Math.Max(0, 1 - k * lambda);
        return -k * XLogX(lambda) - XLogX(mu);
    }

    private static double XLogX(double x) => x > 0 ? x * Math.Log(x) : 0;
}
