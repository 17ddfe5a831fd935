using System.Numerics;

namespace Dreamwell.Quantum;

/// <summary>
/// A node's health as a 5×5 density matrix over its services (docs/health-model.md). Feed it
/// <see cref="ServiceObservation"/>s; it keeps the latest per service, builds ρ from them, lets
/// coherence decay between observations (<see cref="Decay"/>), and evaluates figures and alerts.
/// Not thread-safe: one owner feeds it.
/// </summary>
public sealed class TesseractHealth
{
    public const int ServiceCount = 5;

    private readonly ServiceObservation?[] _latest = new ServiceObservation?[ServiceCount];
    private readonly LindbladEvolution _trustDecay;
    private readonly Packed5 _packedHamiltonian;
    private Packed5 _packedState;
    private ServiceHealth[] _services;
    private DensityMatrix _state;

    public TesseractHealth(TesseractHealthOptions? options = null)
    {
        Options = options ?? new TesseractHealthOptions();
        Options.Validate();
        Reference = ReferenceState(Options.ReferenceCoherence);
        Hamiltonian = HamiltonianFor(Reference, Options.Temperature);
        _packedHamiltonian = Packed5.Pack(Hamiltonian);
        _trustDecay = new LindbladEvolution(ServiceCount).WithDephasing(Options.TrustDecayRate);
        SetState(Build());
    }

    public TesseractHealthOptions Options { get; }

    /// <summary>σ_ref: balanced populations (0.2 each), every pair with coherence κ_ref².</summary>
    public DensityMatrix Reference { get; }

    /// <summary>H = −T ln σ_ref, so that σ_ref is the Gibbs state of H at T and F(σ_ref) = 0 is the minimum.</summary>
    public Hamiltonian Hamiltonian { get; }

    /// <summary>The current ρ.</summary>
    public DensityMatrix State => _state;

    /// <summary>Records an observation (replacing the service's previous one) and rebuilds ρ: coherence recovers.</summary>
    public void Observe(ServiceObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        observation.Validate();
        _latest[(int)observation.Service] = observation;
        SetState(Build());
    }

    public void Observe(IEnumerable<ServiceObservation> observations)
    {
        foreach (var o in observations) Observe(o);
    }

    /// <summary>
    /// Trust decay: evolves ρ under Lindblad dephasing at <see cref="TesseractHealthOptions.TrustDecayRate"/>
    /// for <paramref name="elapsed"/>. Populations stay; every coherence shrinks by e^(−γt).
    /// </summary>
    public void Decay(TimeSpan elapsed, CancellationToken cancellationToken = default)
    {
        if (elapsed < TimeSpan.Zero) throw new DreamException("InvalidDuration", DreamErrorKind.InvalidArgument, "Elapsed time must be ≥ 0.");
        _state = _trustDecay.Evolve(_state, elapsed.TotalSeconds, cancellationToken);
        _packedState = Packed5.Pack(_state);
    }

    // The packed copy is refreshed only when ρ changes, so QuickCheck itself is two dot products.
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_state), nameof(_services))]
    private void SetState((DensityMatrix State, ServiceHealth[] Services) built)
    {
        (_state, _services) = built;
        _packedState = Packed5.Pack(_state);
    }

    /// <summary>The fast path: exact ⟨H⟩, purity and smallest population, and a bracket on F, with no eigensolve.</summary>
    public HealthBounds QuickCheck() => Health5.Check(_packedState, _packedHamiltonian, Options.Temperature);

    /// <summary>The exact path: eigendecomposition, entropy, F and every alert.</summary>
    public TesseractHealthReport Report()
    {
        var o = Options;
        var rho = _state;
        var eigenvalues = ((double[])rho.Eigenvalues).ToArray();
        double entropy = rho.Entropy;
        double energy = rho.Energy(Hamiltonian);
        double freeEnergy = energy - o.Temperature * entropy;
        double coherentFraction = eigenvalues[^1];
        double capacity = _services.Sum(s => s.Weight) / ServiceCount;
        var alerts = new List<HealthAlert>();

        if (_services.All(s => !s.Up))
        {
            alerts.Add(new HealthAlert("AllServicesDown", HealthSeverity.Critical, _services.Select(s => s.Service).ToArray(), 0, 0,
                "No service is up (or none was observed); ρ is the maximally mixed state, which carries no information."));
        }
        else
        {
            foreach (var s in _services)
            {
                if (!s.Observed)
                    alerts.Add(new HealthAlert("NoObservation", HealthSeverity.Warning, [s.Service], 0, 0,
                        $"{s.Service} has not been observed; it is counted as down."));
                else if (!s.Up)
                    alerts.Add(new HealthAlert("ServiceDown", HealthSeverity.Critical, [s.Service], 0, 0,
                        $"{s.Service} is down: its population is 0."));
                else if (s.Population < o.PopulationFloor)
                    alerts.Add(new HealthAlert("PopulationCollapse", HealthSeverity.Critical, [s.Service], s.Population, o.PopulationFloor,
                        $"{s.Service} holds {s.Population:P1} of the node's capacity (floor {o.PopulationFloor:P1}; balanced is 20%)."));
            }
            foreach (var (a, b) in o.CoupledPairs)
            {
                double pa = rho[(int)a, (int)a].Real, pb = rho[(int)b, (int)b].Real;
                if (pa <= 0 || pb <= 0) continue; // a down service is already reported; no coherence to measure
                double c = Complex.Abs(rho[(int)a, (int)b]) / Math.Sqrt(pa * pb);
                if (c < o.CoherenceFloor)
                    alerts.Add(new HealthAlert("CoherenceLoss", HealthSeverity.Warning, [a, b], c, o.CoherenceFloor,
                        $"{a}–{b} coherence is {c:F2} (floor {o.CoherenceFloor:F2}): work crossing these services is failing or slow."));
            }
            if (coherentFraction < o.CoherentFractionFloor)
                alerts.Add(new HealthAlert("CoherentModeWeak", HealthSeverity.Warning, [], coherentFraction, o.CoherentFractionFloor,
                    $"The largest eigenvalue is {coherentFraction:F3} (floor {o.CoherentFractionFloor:F3}): the services no longer act as one."));
            if (capacity < o.CapacityFloor)
                alerts.Add(new HealthAlert("CapacityLow", HealthSeverity.Warning, [], capacity, o.CapacityFloor,
                    $"Mean capacity weight is {capacity:F2} (floor {o.CapacityFloor:F2})."));
        }
        double nats = freeEnergy / o.Temperature;
        if (nats > o.FreeEnergyThreshold)
            alerts.Add(new HealthAlert("FreeEnergyExcess",
                nats > 2 * o.FreeEnergyThreshold ? HealthSeverity.Critical : HealthSeverity.Warning, [], nats, o.FreeEnergyThreshold,
                $"F/T = D(ρ‖σ_ref) = {nats:F3} nats (threshold {o.FreeEnergyThreshold:F3}): the node is far from its reference state."));

        var status = alerts.Any(a => a.Severity == HealthSeverity.Critical) ? TesseractHealthStatus.Critical
            : alerts.Count > 0 ? TesseractHealthStatus.Degraded : TesseractHealthStatus.Healthy;
        return new TesseractHealthReport(status, rho, _services.ToArray(), eigenvalues, entropy, rho.Purity, coherentFraction,
            energy, o.Temperature, freeEnergy, capacity, alerts.ToArray());
    }

    /// <summary>The model on a set of observations at once: what Get-DreamHealthModel shows.</summary>
    public static TesseractHealthReport Evaluate(IEnumerable<ServiceObservation> observations, TesseractHealthOptions? options = null)
    {
        var health = new TesseractHealth(options);
        health.Observe(observations);
        return health.Report();
    }

    private (DensityMatrix, ServiceHealth[]) Build()
    {
        var o = Options;
        var services = new ServiceHealth[ServiceCount];
        var weight = new double[ServiceCount];
        var kappa = new double[ServiceCount];
        double total = 0;
        for (int i = 0; i < ServiceCount; i++)
        {
            var obs = _latest[i];
            if (obs is { Up: true })
            {
                double w = 1 / (1 + obs.QueueDepth / o.QueueReference);
                if (obs.Service == TesseractService.Peers) w *= Math.Min(1.0, obs.PeerCount / (double)o.PeerTarget);
                weight[i] = w;
                kappa[i] = (1 - obs.ErrorRate) / (1 + obs.LatencyMs / o.LatencyReferenceMs);
            }
            total += weight[i];
        }
        if (total <= 0)
        {
            for (int i = 0; i < ServiceCount; i++)
                services[i] = new ServiceHealth((TesseractService)i, _latest[i] is not null, false, 0, 0.2, 0);
            return (DensityMatrix.MaximallyMixed(ServiceCount), services);
        }
        var p = new double[ServiceCount];
        for (int i = 0; i < ServiceCount; i++)
        {
            p[i] = weight[i] / total;
            services[i] = new ServiceHealth((TesseractService)i, _latest[i] is not null, _latest[i]?.Up == true, weight[i], p[i], kappa[i]);
        }
        return (Compose(p, kappa), services);
    }

    /// <summary>
    /// ρ = D^½ C D^½ with D = diag(p) and C = κκᵀ + diag(1 − κ²): ρii = pi, ρij = κiκj√(pi pj).
    /// C is a correlation matrix (unit diagonal, positive semidefinite as a sum of PSD terms), so ρ is a
    /// valid density matrix for any p on the simplex and any κ in [0, 1].
    /// </summary>
    internal static DensityMatrix Compose(ReadOnlySpan<double> populations, ReadOnlySpan<double> coherence)
    {
        int n = populations.Length;
        var m = new Complex[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m[i * n + j] = i == j ? populations[i] : coherence[i] * coherence[j] * Math.Sqrt(populations[i] * populations[j]);
        return DensityMatrix.Trusted(m, n);
    }

    internal static DensityMatrix ReferenceState(double referenceCoherence)
    {
        Span<double> p = stackalloc double[ServiceCount];
        Span<double> k = stackalloc double[ServiceCount];
        p.Fill(1.0 / ServiceCount);
        k.Fill(referenceCoherence);
        return Compose(p, k);
    }

    internal static Hamiltonian HamiltonianFor(DensityMatrix reference, double temperature)
    {
        var log = reference.Function(l => -temperature * Math.Log(l));
        return Hamiltonian.FromRowMajor(log, reference.Dimension, 1e-9);
    }
}
