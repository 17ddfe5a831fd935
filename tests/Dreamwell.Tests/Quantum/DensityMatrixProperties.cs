using Dreamwell.Quantum;
using FsCheck.Xunit;

namespace Dreamwell.Tests.Quantum;

/// <summary>Properties over random valid states of dimension 1..6 and every rank (FsCheck picks the cases).</summary>
[Properties(Arbitrary = new[] { typeof(QuantumArbitraries) }, MaxTest = 200)]
public class DensityMatrixProperties
{
    private const double Eps = 1e-10;

    [Property]
    public bool Eigenvalues_lie_in_0_1_and_sum_to_1(RandomCase c)
    {
        var values = c.State().Eigenvalues;
        return values.All(v => v >= -Eps && v <= 1 + Eps) && Math.Abs(values.Sum() - 1) < Eps;
    }

    [Property]
    public bool Entropy_lies_between_0_and_ln_n(RandomCase c)
    {
        double s = c.State().Entropy;
        return s >= -Eps && s <= Math.Log(c.Dimension) + Eps;
    }

    [Property]
    public bool Gibbs_state_has_the_least_free_energy(RandomCase c)
    {
        var h = c.Hamiltonian();
        double t = c.Temperature;
        var gibbs = DensityMatrix.Gibbs(h, t);
        return gibbs.FreeEnergy(h, t) <= c.State().FreeEnergy(h, t) + Eps;
    }

    [Property]
    public bool Eigenvalue_only_path_agrees_with_the_eigenvector_path(RandomCase c)
    {
        var h = c.Hamiltonian();
        int n = c.Dimension;
        var fast = new double[n];
        var full = new double[n];
        HermitianEigen.Eigenvalues(h.Elements, n, fast);
        HermitianEigen.Decompose(h.Elements, n, full, new System.Numerics.Complex[n * n]);
        double scale = full.Max(Math.Abs) + 1;
        return fast.Zip(full).All(p => Math.Abs(p.First - p.Second) <= 1e-12 * scale);
    }

    [Property]
    public bool Purity_lies_between_1_over_n_and_1(RandomCase c)
    {
        double p = c.State().Purity;
        return p >= 1.0 / c.Dimension - Eps && p <= 1 + Eps;
    }

    [Property]
    public bool Fidelity_and_trace_distance_obey_Fuchs_van_de_Graaf(RandomCase c)
    {
        var a = c.State();
        var b = (c with { Seed = c.Seed ^ 0x1234567 }).State();
        double f = a.Fidelity(b), d = a.TraceDistance(b);
        const double tol = 1e-7; // fidelity goes through two matrix square roots
        return f >= -tol && f <= 1 + tol && d >= -tol && d <= 1 + tol
            && 1 - Math.Sqrt(f) <= d + tol && d * d <= 1 - f + tol; // squared: pure states sit on the equality
    }

    [Property]
    public bool Entropy_lies_inside_the_purity_bracket(RandomCase c)
    {
        var rho = c.State();
        var (lower, upper) = EntropyBounds.For(c.Dimension).Bracket(rho.Purity);
        return rho.Entropy >= lower - Eps && rho.Entropy <= upper + Eps;
    }
}
