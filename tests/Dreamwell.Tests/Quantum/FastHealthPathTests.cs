using Dreamwell.Quantum;
using FsCheck.Xunit;
using Xunit;

namespace Dreamwell.Tests.Quantum;

/// <summary>The fast 5×5 path (no eigensolve) against the exact path (eigendecomposition).</summary>
public class FastHealthPathTests
{
    /// <summary>
    /// Documented tolerance (docs/health-model.md): the entropy bracket from purity is never wider
    /// than this many nats for n = 5, so |F_estimate − F_exact| ≤ T × this / 2.
    /// </summary>
    public const double MaxEntropyBracketWidth5 = 0.36;

    [Property(Arbitrary = new[] { typeof(Quantum5Arbitraries) }, MaxTest = 300)]
    public bool Exact_free_energy_lies_inside_the_fast_bracket(RandomCase c)
    {
        var rho = c.State();
        var h = c.Hamiltonian();
        double t = c.Temperature;
        var fast = Health5.Check(Packed5.Pack(rho), Packed5.Pack(h), t);
        double exact = rho.FreeEnergy(h, t);
        const double eps = 1e-10;
        return Math.Abs(fast.Energy - rho.Energy(h)) < eps
            && Math.Abs(fast.Purity - rho.Purity) < eps
            && Math.Abs(fast.MinPopulation - rho.Populations.Min()) < eps
            && fast.FreeEnergyLower <= exact + eps && exact <= fast.FreeEnergyUpper + eps
            && Math.Abs(fast.FreeEnergyEstimate - exact) <= t * MaxEntropyBracketWidth5 / 2 + eps;
    }

    [Fact]
    public void Bracket_width_never_exceeds_the_documented_tolerance()
    {
        var bounds = EntropyBounds.For(5);
        double widest = 0;
        for (int i = 0; i <= 100_000; i++)
        {
            double p = 0.2 + 0.8 * i / 100_000.0;
            var (lo, hi) = bounds.Bracket(p);
            widest = Math.Max(widest, hi - lo);
        }
        Assert.InRange(widest, 0, MaxEntropyBracketWidth5);
    }

    [Fact]
    public void Bracket_is_exact_at_the_ends()
    {
        var (lo, hi) = EntropyBounds.For(5).Bracket(1);
        Assert.Equal(0, lo, 12);
        Assert.Equal(0, hi, 12);
        (lo, hi) = EntropyBounds.For(5).Bracket(0.2);
        Assert.Equal(Math.Log(5), hi, 12);
        Assert.True(Math.Log(5) - lo < 0.01);
    }

    [Fact]
    public void Decides_only_when_the_whole_bracket_is_on_one_side()
    {
        var b = new HealthBounds(0, 0.5, 0.1, 0.9, 1.0, -1.0, -0.9);
        Assert.True(b.Decides(-0.5));
        Assert.True(b.Decides(-1.5));
        Assert.False(b.Decides(-0.95));
    }
}
