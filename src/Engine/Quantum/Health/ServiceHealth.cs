namespace Dreamwell.Quantum;

/// <summary>
/// How one service entered the state: its capacity weight w (up × queue × peers factors), its
/// population p = w / Σw, and its coherence factor κ (errors × latency factors).
/// </summary>
public sealed record ServiceHealth(
    TesseractService Service,
    bool Observed,
    bool Up,
    double Weight,
    double Population,
    double Coherence);
