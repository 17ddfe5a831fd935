using System.Numerics;
using Dreamwell.Quantum;
using Xunit;

namespace Dreamwell.Tests.Quantum;

public class TesseractHealthTests
{
    private static ServiceObservation[] Healthy(double latencyMs = 11.1) =>
        Enum.GetValues<TesseractService>().Select(s => new ServiceObservation
        {
            Service = s, LatencyMs = latencyMs, PeerCount = s == TesseractService.Peers ? 8 : 0,
        }).ToArray();

    private static ServiceObservation[] With(ServiceObservation changed) =>
        Healthy().Select(o => o.Service == changed.Service ? changed : o).ToArray();

    [Fact]
    public void Balanced_healthy_node_is_healthy_with_populations_of_one_fifth()
    {
        var report = TesseractHealth.Evaluate(Healthy());
        Assert.Equal(TesseractHealthStatus.Healthy, report.Status);
        Assert.Empty(report.Alerts);
        Assert.All(report.State.Populations, p => Assert.Equal(0.2, p, 12));
        Assert.True(report.CoherentFraction > 0.8);
        Assert.True(report.FreeEnergy < 0.01, $"F = {report.FreeEnergy}"); // κ ≈ 0.9 = κ_ref: at the reference state
    }

    [Fact]
    public void Reference_state_has_zero_free_energy_and_is_the_Gibbs_state_of_H()
    {
        var health = new TesseractHealth();
        Assert.Equal(0, health.Reference.FreeEnergy(health.Hamiltonian, health.Options.Temperature), 10);
        Assert.True(DensityMatrix.Gibbs(health.Hamiltonian, health.Options.Temperature).TraceDistance(health.Reference) < 1e-10);
    }

    [Fact]
    public void A_down_service_has_zero_population_and_raises_ServiceDown()
    {
        var report = TesseractHealth.Evaluate(With(new ServiceObservation { Service = TesseractService.QCloud, Up = false }));
        Assert.Equal(TesseractHealthStatus.Critical, report.Status);
        Assert.Equal(0, report.State.Populations[(int)TesseractService.QCloud]);
        Assert.Equal(0.25, report.State.Populations[(int)TesseractService.FQTP], 12);
        var alert = Assert.Single(report.Alerts, a => a.Code == "ServiceDown");
        Assert.Equal(new[] { TesseractService.QCloud }, alert.Services);
    }

    [Fact]
    public void A_flooded_queue_collapses_that_services_population()
    {
        var report = TesseractHealth.Evaluate(With(new ServiceObservation { Service = TesseractService.LQTP, LatencyMs = 11.1, QueueDepth = 5000 }));
        var alert = Assert.Single(report.Alerts, a => a.Code == "PopulationCollapse");
        Assert.Equal(new[] { TesseractService.LQTP }, alert.Services);
        Assert.True(alert.Value < 0.05);
    }

    [Fact]
    public void Errors_on_one_service_break_coherence_with_its_coupled_services()
    {
        var report = TesseractHealth.Evaluate(With(new ServiceObservation { Service = TesseractService.FQTP, LatencyMs = 11.1, ErrorRate = 0.6 }));
        var pairs = report.Alerts.Where(a => a.Code == "CoherenceLoss").Select(a => (a.Services[0], a.Services[1])).ToList();
        Assert.Contains((TesseractService.Universe, TesseractService.FQTP), pairs);
        Assert.Contains((TesseractService.FQTP, TesseractService.LQTP), pairs);
        Assert.DoesNotContain((TesseractService.Universe, TesseractService.LQTP), pairs);
        Assert.All(report.State.Populations, p => Assert.Equal(0.2, p, 12)); // errors do not move capacity
    }

    [Fact]
    public void Uniformly_slow_node_keeps_balanced_populations_but_loses_its_coherent_mode()
    {
        var report = TesseractHealth.Evaluate(Healthy(latencyMs: 400));
        Assert.Contains(report.Alerts, a => a.Code == "CoherentModeWeak");
        Assert.Contains(report.Alerts, a => a.Code == "FreeEnergyExcess");
        Assert.Equal(TesseractHealthStatus.Degraded, report.Status); // F/T ≈ 0.94 nats: above 0.5, below the critical 1.0
    }

    [Fact]
    public void Nothing_up_gives_the_maximally_mixed_state_and_AllServicesDown()
    {
        var report = TesseractHealth.Evaluate(Array.Empty<ServiceObservation>());
        Assert.Equal("AllServicesDown", Assert.Single(report.Alerts, a => a.Severity == HealthSeverity.Critical && a.Code == "AllServicesDown").Code);
        Assert.Equal(Math.Log(5), report.Entropy, 12);
    }

    [Fact]
    public void Missing_observation_is_reported_and_counted_as_down()
    {
        var report = TesseractHealth.Evaluate(Healthy().Where(o => o.Service != TesseractService.Peers));
        Assert.Contains(report.Alerts, a => a.Code == "NoObservation" && a.Services.Single() == TesseractService.Peers);
        Assert.Equal(0, report.State.Populations[4]);
    }

    [Fact]
    public void Trust_decays_coherences_as_exp_minus_gamma_t_and_a_fresh_observation_restores_them()
    {
        var health = new TesseractHealth();
        health.Observe(Healthy());
        Complex before = health.State[0, 1];
        health.Decay(TimeSpan.FromSeconds(30));
        double gamma = health.Options.TrustDecayRate;
        Assert.Equal(before.Real * Math.Exp(-gamma * 30), health.State[0, 1].Real, 8);
        Assert.Equal(0.2, health.State[0, 0].Real, 10);
        health.Observe(Healthy()[0]);
        Assert.Equal(before.Real, health.State[0, 1].Real, 12);
    }

    [Fact]
    public void Quick_check_brackets_the_exact_report()
    {
        var health = new TesseractHealth();
        health.Observe(With(new ServiceObservation { Service = TesseractService.FQTP, LatencyMs = 80, ErrorRate = 0.2, QueueDepth = 40 }));
        var quick = health.QuickCheck();
        var exact = health.Report();
        Assert.InRange(exact.FreeEnergy, quick.FreeEnergyLower - 1e-12, quick.FreeEnergyUpper + 1e-12);
        Assert.Equal(exact.Energy, quick.Energy, 12);
        Assert.Equal(exact.Purity, quick.Purity, 12);
    }

    [Fact]
    public void Invalid_observations_are_refused()
    {
        var health = new TesseractHealth();
        var e = Assert.Throws<DreamException>(() => health.Observe(new ServiceObservation { Service = TesseractService.FQTP, ErrorRate = 1.5 }));
        Assert.Equal("InvalidObservation", e.ErrorId);
        Assert.Contains("ErrorRate", e.Message);
        Assert.Equal("InvalidHealthOptions", Assert.Throws<DreamException>(() => new TesseractHealth(new TesseractHealthOptions { ReferenceCoherence = 1 })).ErrorId);
    }
}
