using System.Numerics;
using BenchmarkDotNet.Attributes;
using Dreamwell.Quantum;

namespace Dreamwell.Bench;

/// <summary>
/// The 5×5 health figures: exact F = Tr(ρH) − T·S with a Hermitian eigensolve (the baseline, target
/// ≤ 1 µs) against the fast path that needs no eigensolve (target ≤ 14 ns): exact ⟨H⟩, purity and
/// smallest population plus a rigorous bracket on F. State: a TesseractHealth state with one degraded
/// service, H from the health model (a dense 5×5 Hermitian).
/// Rerun: dotnet run -c Release --project bench/Dreamwell.Bench -- --filter '*DensityMatrixBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
public class DensityMatrixBenchmarks
{
    private Complex[] _rho = [];
    private Complex[] _hamiltonian = [];
    private Packed5 _packedRho;
    private Packed5 _packedHamiltonian;
    private DensityMatrix _state = null!;
    private double _temperature;
    private readonly double[] _eigenvalues = new double[5];

    [GlobalSetup]
    public void Setup()
    {
        var health = new TesseractHealth();
        foreach (var service in Enum.GetValues<TesseractService>())
            health.Observe(new ServiceObservation
            {
                Service = service,
                LatencyMs = service == TesseractService.FQTP ? 80 : 12,
                ErrorRate = service == TesseractService.FQTP ? 0.2 : 0.01,
                QueueDepth = service == TesseractService.LQTP ? 150 : 3,
                PeerCount = 6,
            });
        _state = health.State;
        _rho = Enumerable.Range(0, 25).Select(i => _state[i / 5, i % 5]).ToArray();
        _hamiltonian = Enumerable.Range(0, 25).Select(i => health.Hamiltonian[i / 5, i % 5]).ToArray();
        _packedRho = Packed5.Pack(_rho);
        _packedHamiltonian = Packed5.Pack(_hamiltonian);
        _temperature = health.Options.Temperature;
    }

    /// <summary>Exact F: ⟨H⟩ (25 complex products) + Householder/QL eigenvalues + 5 logs.</summary>
    [Benchmark(Baseline = true)]
    public double ExactFreeEnergy() => DensityMatrix.FreeEnergy(_rho, _hamiltonian, 5, _temperature);

    /// <summary>The eigensolve alone (eigenvalues only).</summary>
    [Benchmark]
    public double EigenvaluesOnly()
    {
        HermitianEigen.Eigenvalues(_rho, 5, _eigenvalues);
        return _eigenvalues[4];
    }

    /// <summary>Fast path on a state kept in packed form (what TesseractHealth can hold between checks).</summary>
    [Benchmark]
    public double FastCheckPacked() => Consume(Health5.Check(_packedRho, _packedHamiltonian, _temperature));

    /// <summary>Fast path including packing ρ from row-major storage first.</summary>
    [Benchmark]
    public double FastCheckFromRowMajor() => Consume(Health5.Check(Packed5.Pack(_rho), _packedHamiltonian, _temperature));

    // Every field of the result feeds the returned value, so none of the work can be dropped.
    private static double Consume(in HealthBounds b) =>
        b.Energy + b.Purity + b.MinPopulation + b.EntropyLower + b.EntropyUpper + b.FreeEnergyLower + b.FreeEnergyUpper;
}
