using System.Numerics;
using Dreamwell.Quantum;
using Xunit;

namespace Dreamwell.Tests.Quantum;

public class DensityMatrixTests
{
    [Fact]
    public void Pure_state_has_zero_entropy_and_unit_purity()
    {
        var rho = DensityMatrix.FromStateVector(new Complex[] { 1, new(0, 1), -1, 0.5, 2 });
        Assert.Equal(0, rho.Entropy, 10);
        Assert.Equal(1, rho.Purity, 12);
        Assert.Equal(0, rho.LinearEntropy, 12);
        Assert.Equal(1, rho.Eigenvalues[^1], 12);
    }

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(5)] [InlineData(16)]
    public void Maximally_mixed_state_has_entropy_ln_n(int n)
    {
        var rho = DensityMatrix.MaximallyMixed(n);
        Assert.Equal(Math.Log(n), rho.Entropy, 12);
        Assert.Equal(1.0 / n, rho.Purity, 12);
    }

    [Theory]
    [InlineData(0.3, 0.1, -0.5)]
    [InlineData(0, 0, 0)]
    [InlineData(0.6, 0.0, 0.8)]
    public void Qubit_Bloch_state_matches_closed_forms(double x, double y, double z)
    {
        // ρ = (I + r·σ)/2 has eigenvalues (1 ± |r|)/2 and purity (1 + |r|²)/2.
        var rho = Bloch(x, y, z);
        double r = Math.Sqrt(x * x + y * y + z * z);
        Assert.Equal((1 - r) / 2, rho.Eigenvalues[0], 12);
        Assert.Equal((1 + r) / 2, rho.Eigenvalues[1], 12);
        Assert.Equal((1 + r * r) / 2, rho.Purity, 12);
        double expected = -XLogX((1 + r) / 2) - XLogX((1 - r) / 2);
        Assert.Equal(expected, rho.Entropy, 12);
    }

    [Fact]
    public void Trace_distance_of_qubits_is_half_the_Bloch_distance()
    {
        var a = Bloch(0.3, 0.1, -0.5);
        var b = Bloch(-0.2, 0.4, 0.1);
        double d = Math.Sqrt(0.25 + 0.09 + 0.36) / 2;
        Assert.Equal(d, a.TraceDistance(b), 12);
        Assert.Equal(0, a.TraceDistance(a), 12);
    }

    [Fact]
    public void Fidelity_of_pure_states_is_squared_overlap_and_of_qubits_matches_closed_form()
    {
        var psi = new Complex[] { 1, new(0, 1) };
        var phi = new Complex[] { 1, 0 };
        Assert.Equal(0.5, DensityMatrix.FromStateVector(psi).Fidelity(DensityMatrix.FromStateVector(phi)), 9);
        // Qubits: F = Tr(ρσ) + 2√(det ρ det σ).
        var a = Bloch(0.3, 0.1, -0.5);
        var b = Bloch(-0.2, 0.4, 0.1);
        double detA = (1 - 0.35) / 4, detB = (1 - 0.21) / 4;
        double trProduct = (1 + (-0.06 + 0.04 - 0.05)) / 2;
        Assert.Equal(trProduct + 2 * Math.Sqrt(detA * detB), a.Fidelity(b), 9);
        Assert.Equal(1, a.Fidelity(a), 9);
    }

    [Fact]
    public void Partial_trace_of_a_Bell_state_is_maximally_mixed()
    {
        var s = 1 / Math.Sqrt(2);
        var bell = DensityMatrix.FromStateVector(new Complex[] { s, 0, 0, s });
        var reduced = bell.PartialTrace(new[] { 2, 2 }, 1);
        Assert.Equal(2, reduced.Dimension);
        Assert.Equal(0.5, reduced[0, 0].Real, 12);
        Assert.Equal(0, reduced[0, 1].Magnitude, 12);
        Assert.Equal(Math.Log(2), reduced.Entropy, 12);
        Assert.Equal(0, bell.Entropy, 10);
    }

    [Fact]
    public void Partial_trace_undoes_a_tensor_product_on_either_side()
    {
        var a = QuantumSamples.RandomState(2, 2, new Random(1));
        var b = QuantumSamples.RandomState(3, 2, new Random(2));
        var ab = a.Tensor(b);
        Assert.True(ab.PartialTrace(new[] { 2, 3 }, 1).TraceDistance(a) < 1e-12);
        Assert.True(ab.PartialTrace(new[] { 2, 3 }, 0).TraceDistance(b) < 1e-12);
        Assert.Equal(a.Entropy + b.Entropy, ab.Entropy, 10);
    }

    [Fact]
    public void Gibbs_state_of_a_diagonal_Hamiltonian_is_Boltzmann_and_minimises_free_energy()
    {
        var h = Hamiltonian.FromDiagonal(new[] { 0.0, 1.0, 2.5 });
        const double t = 0.8;
        var gibbs = DensityMatrix.Gibbs(h, t);
        double z = 1 + Math.Exp(-1 / t) + Math.Exp(-2.5 / t);
        Assert.Equal(1 / z, gibbs[0, 0].Real, 12);
        Assert.Equal(Math.Exp(-1 / t) / z, gibbs[1, 1].Real, 12);
        Assert.Equal(-t * Math.Log(z), gibbs.FreeEnergy(h, t), 12); // F_min = −T ln Z
        var other = DensityMatrix.FromPopulations(new[] { 0.5, 0.3, 0.2 });
        Assert.True(gibbs.FreeEnergy(h, t) < other.FreeEnergy(h, t));
    }

    [Fact]
    public void Gibbs_at_zero_temperature_is_the_ground_state()
    {
        var gibbs = DensityMatrix.Gibbs(Hamiltonian.FromDiagonal(new[] { 2.0, -1.0, 0.0 }), 0);
        Assert.Equal(1, gibbs[1, 1].Real, 12);
        Assert.Equal(0, gibbs.Entropy, 12);
    }

    [Fact]
    public void Static_free_energy_path_matches_the_object_path()
    {
        var rho = QuantumSamples.RandomState(5, 5, new Random(3));
        var h = QuantumSamples.RandomHamiltonian(5, new Random(4));
        Assert.Equal(rho.FreeEnergy(h, 0.7), DensityMatrix.FreeEnergy(rho.Elements, h.Elements, 5, 0.7), 12);
    }

    [Theory]
    [InlineData("NotHermitian")]
    [InlineData("TraceNotOne")]
    [InlineData("NotPositiveSemidefinite")]
    [InlineData("NotSquare")]
    [InlineData("NotFinite")]
    public void Invalid_matrices_are_refused_naming_the_violated_property(string errorId)
    {
        Complex[,] m = errorId switch
        {
            "NotHermitian" => new Complex[,] { { 0.5, 0.1 }, { 0.2, 0.5 } },
            "TraceNotOne" => new Complex[,] { { 0.5, 0 }, { 0, 0.6 } },
            "NotPositiveSemidefinite" => new Complex[,] { { 0.5, 0.8 }, { 0.8, 0.5 } },
            "NotSquare" => new Complex[,] { { 1, 0, 0 } },
            _ => new Complex[,] { { double.NaN, 0 }, { 0, 1 } },
        };
        var e = Assert.ThrowsAny<DreamException>(() => DensityMatrix.FromMatrix(m));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(errorId switch
        {
            "NotHermitian" => "not Hermitian",
            "TraceNotOne" => "trace",
            "NotPositiveSemidefinite" => "positive semidefinite",
            "NotSquare" => "square",
            _ => "non-finite",
        }, e.Message);
    }

    [Fact]
    public void Populations_are_checked_for_sign_and_sum()
    {
        Assert.Equal("TraceNotOne", Assert.Throws<DreamException>(() => DensityMatrix.FromPopulations(new[] { 0.5, 0.4 })).ErrorId);
        Assert.Equal("NotPositiveSemidefinite", Assert.Throws<DreamException>(() => DensityMatrix.FromPopulations(new[] { 1.2, -0.2 })).ErrorId);
        Assert.Equal("ZeroStateVector", Assert.Throws<DreamException>(() => DensityMatrix.FromStateVector(new Complex[] { 0, 0 })).ErrorId);
    }

    [Fact]
    public void Tolerance_is_honoured_at_its_edge()
    {
        var nearly = new Complex[,] { { 0.5 + 4e-10, 0 }, { 0, 0.5 } };
        Assert.Equal(2, DensityMatrix.FromMatrix(nearly).Dimension);
        Assert.Equal("TraceNotOne", Assert.Throws<DreamException>(() => DensityMatrix.FromMatrix(nearly, 1e-12)).ErrorId);
    }

    [Fact]
    public void ToString_prints_an_aligned_matrix()
    {
        var rho = DensityMatrix.FromMatrix(new Complex[,] { { 0.75, new(0.1, -0.25) }, { new(0.1, 0.25), 0.25 } });
        var lines = rho.ToString().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal("[         0.7500 0.1000-0.2500i ]", lines[0]);
        Assert.Equal("[ 0.1000+0.2500i         0.2500 ]", lines[1]);
        Assert.Equal(lines[0].Length, lines[1].Length);
    }

    internal static DensityMatrix Bloch(double x, double y, double z) => DensityMatrix.FromMatrix(new Complex[,]
    {
        { (1 + z) / 2, new Complex(x, -y) / 2 },
        { new Complex(x, y) / 2, (1 - z) / 2 },
    });

    private static double XLogX(double v) => v > 0 ? v * Math.Log(v) : 0;
}
