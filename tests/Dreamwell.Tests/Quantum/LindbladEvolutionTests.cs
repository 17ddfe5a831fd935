using System.Numerics;
using Dreamwell.Quantum;
using Xunit;

namespace Dreamwell.Tests.Quantum;

public class LindbladEvolutionTests
{
    [Fact]
    public void Dephasing_decays_every_coherence_as_exp_minus_gamma_t_and_keeps_populations()
    {
        var rho = QuantumSamples.RandomState(5, 2, new Random(11));
        const double gamma = 0.7, t = 2.3;
        var evolved = new LindbladEvolution(5).WithDephasing(gamma).Evolve(rho, t);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
            {
                Complex expected = i == j ? rho[i, j] : rho[i, j] * Math.Exp(-gamma * t);
                Assert.True((evolved[i, j] - expected).Magnitude < 1e-9, $"({i},{j}): {evolved[i, j]} vs {expected}");
            }
    }

    [Fact]
    public void Amplitude_damping_empties_the_upper_level_as_exp_minus_gamma_t()
    {
        var excited = DensityMatrix.FromStateVector(new Complex[] { 1, 1 }); // |+⟩: p1 = ½, ρ01 = ½
        const double gamma = 1.3, t = 0.9;
        var evolved = new LindbladEvolution(2).WithAmplitudeDamping(from: 1, to: 0, gamma).Evolve(excited, t);
        Assert.Equal(0.5 * Math.Exp(-gamma * t), evolved[1, 1].Real, 9);
        Assert.Equal(1 - 0.5 * Math.Exp(-gamma * t), evolved[0, 0].Real, 9);
        Assert.Equal(0.5 * Math.Exp(-gamma * t / 2), evolved[0, 1].Real, 9);
    }

    [Fact]
    public void Hamiltonian_part_rotates_the_coherence_phase()
    {
        // H = diag(0, ω): ρ01(t) = ρ01(0)·e^{iωt}.
        const double omega = 2.0, t = 1.1;
        var plus = DensityMatrix.FromStateVector(new Complex[] { 1, 1 });
        var evolved = new LindbladEvolution(2, Hamiltonian.FromDiagonal(new[] { 0.0, omega })).Evolve(plus, t);
        var expected = 0.5 * Complex.Exp(new Complex(0, omega * t));
        Assert.True((evolved[0, 1] - expected).Magnitude < 1e-9, $"{evolved[0, 1]} vs {expected}");
    }

    [Fact]
    public void Trajectory_streams_valid_states_and_relaxes_towards_the_ground_state()
    {
        var rho = QuantumSamples.RandomState(5, 5, new Random(5));
        var generator = new LindbladEvolution(5, QuantumSamples.RandomHamiltonian(5, new Random(6)))
            .WithDephasing(0.3);
        for (int k = 1; k < 5; k++) generator.WithAmplitudeDamping(k, 0, 0.8);
        var steps = generator.Trajectory(rho, 0.25, 40).ToList();
        Assert.Equal(41, steps.Count);
        Assert.Equal(0, steps[0].Time);
        Assert.Equal(10, steps[^1].Time, 12);
        foreach (var step in steps)
        {
            var values = step.State.Eigenvalues;
            Assert.True(values[0] >= -1e-12, $"negative eigenvalue {values[0]} at t={step.Time}");
            Assert.Equal(1, values.Sum(), 10);
            // Still a valid density matrix by the public validator.
            DensityMatrix.FromMatrix(step.State.ToArray());
        }
        var settled = new LindbladEvolution(5).WithAmplitudeDamping(1, 0, 0.8).WithAmplitudeDamping(2, 0, 0.8)
            .WithAmplitudeDamping(3, 0, 0.8).WithAmplitudeDamping(4, 0, 0.8).Evolve(rho, 30);
        Assert.Equal(1, settled[0, 0].Real, 9); // everything decays into level 0: e^(−0.8·30) ≈ 4e-11 left
    }

    [Fact]
    public void Bad_rates_and_levels_are_refused()
    {
        Assert.Equal("InvalidRate", Assert.Throws<DreamException>(() => new LindbladEvolution(2).WithDephasing(-1)).ErrorId);
        Assert.Equal("InvalidChannel", Assert.Throws<DreamException>(() => new LindbladEvolution(2).WithAmplitudeDamping(2, 0, 1)).ErrorId);
        Assert.Equal("DimensionMismatch", Assert.Throws<DreamException>(() => new LindbladEvolution(3).Evolve(DensityMatrix.MaximallyMixed(2), 1)).ErrorId);
    }
}
