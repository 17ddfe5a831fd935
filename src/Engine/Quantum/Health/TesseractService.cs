namespace Dreamwell.Quantum;

/// <summary>The five services of a node; the value is the basis index in the 5×5 health state.</summary>
public enum TesseractService
{
    Universe = 0,
    FQTP = 1,
    LQTP = 2,
    QCloud = 3,
    Peers = 4,
}
