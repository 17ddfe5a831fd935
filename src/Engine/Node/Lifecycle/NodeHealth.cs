using System.Numerics;
using Dreamwell.Quantum;

namespace Dreamwell.Node;

/// <summary>
/// A running node's health (docs/health-model.md, "7. A running node's observations"): the five observations the
/// node made of itself, the density matrix ρ they give, its spectrum, entropy, free energy and alerts, and the raw
/// counters behind the observations. Travels over LQTP as plain JSON; <see cref="ToDensityMatrix"/> rebuilds ρ.
/// </summary>
public sealed record NodeHealth(
    string Status,
    string[] Alerts,
    double Entropy,
    double FreeEnergy,
    double Purity,
    double CoherentFraction,
    double Capacity,
    double[] Eigenvalues,
    double[][] Rho,
    ServiceObservation[] Observations,
    NodeCounters Counters)
{
    /// <summary>ρ as a <see cref="DensityMatrix"/> (basis Universe, FQTP, LQTP, QCloud, Peers). ρ is real in this model.</summary>
    public DensityMatrix ToDensityMatrix() =>
        DensityMatrix.FromRows(Rho.Select(row => (IReadOnlyList<Complex>)row.Select(x => new Complex(x, 0)).ToArray()).ToArray());

    public override string ToString() => Alerts.Length == 0 ? Status : $"{Status}: {string.Join(", ", Alerts)}";

    internal static NodeHealth From(TesseractHealthReport report, ServiceObservation[] observations, NodeCounters counters)
    {
        var n = report.State.Dimension;
        var elements = report.State.ToArray();
        var rho = new double[n][];
        for (var i = 0; i < n; i++)
        {
            rho[i] = new double[n];
            for (var j = 0; j < n; j++) rho[i][j] = elements[i, j].Real;
        }
        var alerts = report.Alerts.Select(a => a.Services.Length == 0 ? a.Code : $"{a.Code}({string.Join("–", a.Services)})").ToArray();
        return new NodeHealth(report.Status.ToString(), alerts, report.Entropy, report.FreeEnergy, report.Purity, report.CoherentFraction,
            report.Capacity, report.Eigenvalues.OrderByDescending(x => x).ToArray(), rho, observations, counters);
    }
}

/// <summary>What the node counted since it started; the observations use the recent window of these (docs/health-model.md §7).</summary>
public sealed record NodeCounters(
    long LinksUp,
    long LinksDown,
    int LinksOpen,
    long HandshakesCompleted,
    long HandshakesFailed,
    long PeersRefused,
    long Misbehaviours,
    long HeartbeatsReceived,
    long HeartbeatsExpected,
    bool ChainValid,
    int DiscoveredPeers,
    long DiscoveryMalformedPackets);
