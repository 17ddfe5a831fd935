namespace Dreamwell.Quantum;

/// <summary>The constants of the health model; docs/health-model.md says what each one does.</summary>
public sealed record TesseractHealthOptions
{
    /// <summary>Latency at which a service's coherence factor halves (κ ∝ 1 / (1 + L / L_ref)).</summary>
    public double LatencyReferenceMs { get; init; } = 100;

    /// <summary>Queue depth at which a service's capacity weight halves (w ∝ 1 / (1 + q / q_ref)).</summary>
    public double QueueReference { get; init; } = 100;

    /// <summary>Peer count at which the Peers service has full weight (w ∝ min(1, peers / target)).</summary>
    public int PeerTarget { get; init; } = 8;

    /// <summary>κ of every service in the reference (expected healthy) state σ_ref; must be in [0, 1).</summary>
    public double ReferenceCoherence { get; init; } = 0.9;

    /// <summary>T: converts nats of deviation into free-energy units. F = T·D(ρ‖σ_ref).</summary>
    public double Temperature { get; init; } = 1;

    /// <summary>Population below which a service that is up counts as collapsed (balanced share is 0.2).</summary>
    public double PopulationFloor { get; init; } = 0.05;

    /// <summary>Normalised coherence |ρij| / √(ρii ρjj) below which a coupled pair has lost coherence.</summary>
    public double CoherenceFloor { get; init; } = 0.5;

    /// <summary>Largest eigenvalue below which the node no longer moves as one coherent whole.</summary>
    public double CoherentFractionFloor { get; init; } = 0.5;

    /// <summary>F / T (nats) above which the state is too far from the reference; twice this is critical.</summary>
    public double FreeEnergyThreshold { get; init; } = 0.5;

    /// <summary>Mean capacity weight (Σw / 5) below which the node as a whole is short of capacity.</summary>
    public double CapacityFloor { get; init; } = 0.5;

    /// <summary>Dephasing rate γ (per second) of trust decay: without fresh observations coherences fade as e^(−γt).</summary>
    public double TrustDecayRate { get; init; } = 1.0 / 60;

    /// <summary>Pairs of services whose work is expected to be correlated; CoherenceLoss is checked on these.</summary>
    public IReadOnlyList<(TesseractService, TesseractService)> CoupledPairs { get; init; } = new[]
    {
        (TesseractService.Universe, TesseractService.FQTP),
        (TesseractService.Universe, TesseractService.LQTP),
        (TesseractService.Universe, TesseractService.QCloud),
        (TesseractService.Universe, TesseractService.Peers),
        (TesseractService.FQTP, TesseractService.LQTP),
    };

    internal void Validate()
    {
        static void Require(bool ok, string what)
        {
            if (!ok) throw new DreamException("InvalidHealthOptions", DreamErrorKind.InvalidArgument, what);
        }
        Require(LatencyReferenceMs > 0 && double.IsFinite(LatencyReferenceMs), "LatencyReferenceMs must be > 0.");
        Require(QueueReference > 0 && double.IsFinite(QueueReference), "QueueReference must be > 0.");
        Require(PeerTarget >= 1, "PeerTarget must be ≥ 1.");
        Require(ReferenceCoherence >= 0 && ReferenceCoherence < 1, "ReferenceCoherence must be in [0, 1) so that σ_ref has full rank.");
        Require(Temperature > 0 && double.IsFinite(Temperature), "Temperature must be > 0.");
        Require(PopulationFloor >= 0 && PopulationFloor < 1, "PopulationFloor must be in [0, 1).");
        Require(CoherenceFloor >= 0 && CoherenceFloor <= 1, "CoherenceFloor must be in [0, 1].");
        Require(CoherentFractionFloor >= 0 && CoherentFractionFloor <= 1, "CoherentFractionFloor must be in [0, 1].");
        Require(FreeEnergyThreshold > 0 && double.IsFinite(FreeEnergyThreshold), "FreeEnergyThreshold must be > 0.");
        Require(CapacityFloor >= 0 && CapacityFloor <= 1, "CapacityFloor must be in [0, 1].");
        Require(TrustDecayRate >= 0 && double.IsFinite(TrustDecayRate), "TrustDecayRate must be ≥ 0.");
        foreach (var (a, b) in CoupledPairs)
            Require(Enum.IsDefined(a) && Enum.IsDefined(b) && a != b, $"Coupled pair ({a}, {b}) must name two different services.");
    }
}
