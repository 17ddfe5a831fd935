namespace Dreamwell.Quantum;

/// <summary>
/// The figures of one density matrix. <see cref="Energy"/>, <see cref="Temperature"/> and
/// <see cref="FreeEnergy"/> are null when no Hamiltonian was given.
/// </summary>
public sealed record DensityMeasurement(
    int Dimension,
    double[] Eigenvalues,
    double Entropy,
    double Purity,
    double LinearEntropy,
    double? Energy,
    double? Temperature,
    double? FreeEnergy);
