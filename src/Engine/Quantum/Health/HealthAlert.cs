namespace Dreamwell.Quantum;

public enum HealthSeverity
{
    Warning,
    Critical,
}

/// <summary>Overall verdict: Critical if any alert is critical, Degraded if any is a warning.</summary>
public enum TesseractHealthStatus
{
    Healthy,
    Degraded,
    Critical,
}

/// <summary>
/// One alert raised by a spectral or population condition (see docs/health-model.md for each
/// <see cref="Code"/>): the measured <see cref="Value"/> and the <see cref="Threshold"/> it crossed.
/// </summary>
public sealed record HealthAlert(
    string Code,
    HealthSeverity Severity,
    TesseractService[] Services,
    double Value,
    double Threshold,
    string Message)
{
    public override string ToString() => $"{Severity} {Code}: {Message}";
}
