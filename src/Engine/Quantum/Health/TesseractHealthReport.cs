namespace Dreamwell.Quantum;

/// <summary>
/// The health model evaluated on one state: ρ, the figures derived from it, and the alerts raised.
/// <see cref="FreeEnergy"/> = ⟨H⟩ − T·S = T·D(ρ‖σ_ref) ≥ 0, zero exactly at the reference state.
/// </summary>
public sealed record TesseractHealthReport(
    TesseractHealthStatus Status,
    DensityMatrix State,
    ServiceHealth[] Services,
    double[] Eigenvalues,
    double Entropy,
    double Purity,
    double CoherentFraction,
    double Energy,
    double Temperature,
    double FreeEnergy,
    double Capacity,
    HealthAlert[] Alerts);
