namespace Dreamwell.Health;

public enum HealthStatus
{
    Pass,
    Warn,
    Fail,
}

/// <summary>One line of Get-DreamHealth: what was checked, the verdict, and what to do about it.</summary>
public sealed record HealthCheck(string Check, HealthStatus Status, string Detail, string? Fix);
