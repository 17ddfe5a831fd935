using System.Numerics;

namespace Dreamwell.Quantum;

/// <summary>One state of a trajectory: after <see cref="Step"/> steps, at time <see cref="Time"/>.</summary>
public sealed record DensityEvolutionStep(int Step, double Time, DensityMatrix State)
{
    public double Entropy => State.Entropy;
    public double Purity => State.Purity;
}

/// <summary>
/// The Lindblad master equation dρ/dt = −i[H,ρ] + Σk (Lk ρ Lk† − ½{Lk†Lk, ρ}).
/// Integrated with classic RK4 on sub-steps short enough that h·Λ ≤ 0.02 (Λ bounds the generator's
/// norm), and after every sub-step ρ is re-projected onto valid states: Hermitian part, trace 1, and
/// (only when an eigenvalue has gone below −1e-12) negative eigenvalues clipped to 0 and renormalised.
/// The exact solution is completely positive and trace preserving, so the projection only removes
/// integrator round-off; its size is bounded by RK4's local error, O((hΛ)⁵).
/// </summary>
public sealed class LindbladEvolution
{
    private const double StepNormBound = 0.02;
    private readonly int _n;
    private readonly Complex[] _hamiltonian;
    private readonly List<Complex[]> _jumps = new();
    private readonly List<string> _description = new();

    public LindbladEvolution(int dimension, Hamiltonian? hamiltonian = null)
    {
        DensityMatrix.RequireDimension(dimension);
        _n = dimension;
        if (hamiltonian is not null) hamiltonian.RequireDimension(dimension);
        _hamiltonian = hamiltonian?.Elements.ToArray() ?? new Complex[dimension * dimension];
    }

    public int Dimension => _n;

    /// <summary>What the generator holds, one line per term, for display.</summary>
    public IReadOnlyList<string> Terms => _description;

    /// <summary>
    /// Pure dephasing of every basis state at rate γ (jump operators √γ|k⟩⟨k|): populations stay,
    /// each coherence ρij (i ≠ j) decays as e^(−γt).
    /// </summary>
    public LindbladEvolution WithDephasing(double rate)
    {
        RequireRate(rate);
        for (int k = 0; k < _n; k++) AddJump(k, k, Math.Sqrt(rate));
        _description.Add($"dephasing γ={rate:G4} on all {_n} levels");
        return this;
    }

    /// <summary>Dephasing of basis state k only (jump √γ|k⟩⟨k|): coherences ρkj decay as e^(−γt/2).</summary>
    public LindbladEvolution WithDephasing(int level, double rate)
    {
        RequireRate(rate);
        RequireLevel(level);
        AddJump(level, level, Math.Sqrt(rate));
        _description.Add($"dephasing γ={rate:G4} on level {level}");
        return this;
    }

    /// <summary>
    /// Amplitude damping from <paramref name="from"/> to <paramref name="to"/> at rate γ (jump √γ|to⟩⟨from|):
    /// population of <c>from</c> decays as e^(−γt) into <c>to</c>; its coherences decay as e^(−γt/2).
    /// </summary>
    public LindbladEvolution WithAmplitudeDamping(int from, int to, double rate)
    {
        RequireRate(rate);
        RequireLevel(from);
        RequireLevel(to);
        if (from == to) throw new DreamException("InvalidChannel", DreamErrorKind.InvalidArgument, "Amplitude damping needs two different levels.");
        AddJump(to, from, Math.Sqrt(rate));
        _description.Add($"amplitude damping γ={rate:G4} from {from} to {to}");
        return this;
    }

    /// <summary>Any jump operator L (rate already folded into L).</summary>
    public LindbladEvolution WithJump(Complex[,] jump)
    {
        var l = ComplexMatrix.FromRectangular(jump, "A jump operator");
        if (jump.GetLength(0) != _n)
            throw new DreamException("DimensionMismatch", DreamErrorKind.InvalidArgument, $"The jump operator is {jump.GetLength(0)}×{jump.GetLength(0)}, expected {_n}×{_n}.");
        if (!ComplexMatrix.AllFinite(l)) throw new DreamException("NotFinite", DreamErrorKind.InvalidArgument, "The jump operator has a non-finite entry.");
        _jumps.Add(l);
        _description.Add("custom jump operator");
        return this;
    }

    private void AddJump(int row, int column, double amplitude)
    {
        var l = new Complex[_n * _n];
        l[row * _n + column] = amplitude;
        _jumps.Add(l);
    }

    /// <summary>ρ(t0 + duration) from ρ(t0).</summary>
    public DensityMatrix Evolve(DensityMatrix initial, double duration, CancellationToken cancellationToken = default)
    {
        RequireState(initial);
        if (!(duration >= 0) || !double.IsFinite(duration))
            throw new DreamException("InvalidDuration", DreamErrorKind.InvalidArgument, $"Duration must be a finite number ≥ 0; got {duration}.");
        var rho = initial.Elements.ToArray();
        Advance(rho, duration, cancellationToken);
        return DensityMatrix.Trusted(rho, _n);
    }

    /// <summary>The initial state and then the state after each of <paramref name="steps"/> steps of length <paramref name="timeStep"/>.</summary>
    public IEnumerable<DensityEvolutionStep> Trajectory(DensityMatrix initial, double timeStep, int steps, CancellationToken cancellationToken = default)
    {
        RequireState(initial);
        if (!(timeStep > 0) || !double.IsFinite(timeStep))
            throw new DreamException("InvalidDuration", DreamErrorKind.InvalidArgument, $"Time step must be a finite number > 0; got {timeStep}.");
        if (steps < 0) throw new DreamException("InvalidStepCount", DreamErrorKind.InvalidArgument, "Step count must be ≥ 0.");
        return Iterate();

        IEnumerable<DensityEvolutionStep> Iterate()
        {
            var rho = initial.Elements.ToArray();
            yield return new DensityEvolutionStep(0, 0, initial);
            for (int s = 1; s <= steps; s++)
            {
                Advance(rho, timeStep, cancellationToken);
                yield return new DensityEvolutionStep(s, s * timeStep, DensityMatrix.Trusted(rho.ToArray(), _n));
            }
        }
    }

    private void Advance(Complex[] rho, double duration, CancellationToken cancellationToken)
    {
        if (duration == 0) return;
        int n = _n, size = n * n;
        // G = −iH − ½ Σ L†L, so that dρ/dt = Gρ + ρG† + Σ LρL†.
        var g = new Complex[size];
        for (int i = 0; i < size; i++) g[i] = -Complex.ImaginaryOne * _hamiltonian[i];
        double norm = 0;
        foreach (var l in _jumps)
        {
            double ln2 = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    Complex s = Complex.Zero;
                    for (int k = 0; k < n; k++) s += Complex.Conjugate(l[k * n + i]) * l[k * n + j];
                    g[i * n + j] -= 0.5 * s;
                }
            foreach (var c in l) ln2 += HermitianEigen.Norm2(c);
            norm += ln2;
        }
        double gNorm = 0;
        foreach (var c in g) gNorm += HermitianEigen.Norm2(c);
        norm += 2 * Math.Sqrt(gNorm);
        int subSteps = Math.Max(1, (int)Math.Ceiling(duration * norm / StepNormBound));
        if (subSteps > 50_000_000)
            throw new DreamException("EvolutionTooStiff", DreamErrorKind.LimitExceeded, $"Evolving for {duration} needs {subSteps} sub-steps; shorten the duration or the rates.");
        double h = duration / subSteps;

        var k1 = new Complex[size]; var k2 = new Complex[size]; var k3 = new Complex[size]; var k4 = new Complex[size];
        var stage = new Complex[size]; var scratch = new Complex[size];
        for (int step = 0; step < subSteps; step++)
        {
            if ((step & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            Derivative(rho, g, k1, scratch);
            for (int i = 0; i < size; i++) stage[i] = rho[i] + 0.5 * h * k1[i];
            Derivative(stage, g, k2, scratch);
            for (int i = 0; i < size; i++) stage[i] = rho[i] + 0.5 * h * k2[i];
            Derivative(stage, g, k3, scratch);
            for (int i = 0; i < size; i++) stage[i] = rho[i] + h * k3[i];
            Derivative(stage, g, k4, scratch);
            for (int i = 0; i < size; i++) rho[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            Project(rho, n);
        }
    }

    private void Derivative(Complex[] rho, Complex[] g, Complex[] result, Complex[] scratch)
    {
        int n = _n;
        ComplexMatrix.Multiply(g, rho, result, n);
        ComplexMatrix.MultiplyAdjointRight(rho, g, scratch, n);
        for (int i = 0; i < n * n; i++) result[i] += scratch[i];
        foreach (var l in _jumps)
        {
            // L ρ L†, exploiting that channel operators here are mostly a single non-zero entry.
            for (int a = 0; a < n; a++)
                for (int b = 0; b < n; b++)
                {
                    Complex lab = l[a * n + b];
                    if (lab == Complex.Zero) continue;
                    for (int c = 0; c < n; c++)
                        for (int d = 0; d < n; d++)
                        {
                            Complex lcd = l[c * n + d];
                            if (lcd == Complex.Zero) continue;
                            result[a * n + c] += lab * rho[b * n + d] * Complex.Conjugate(lcd);
                        }
                }
        }
    }

    /// <summary>Back onto the set of density matrices: Hermitian, trace 1, no negative eigenvalue.</summary>
    internal static void Project(Complex[] rho, int n)
    {
        ComplexMatrix.Hermitize(rho, n);
        double trace = 0;
        for (int i = 0; i < n; i++) trace += rho[i * n + i].Real;
        for (int i = 0; i < n * n; i++) rho[i] /= trace;
        Span<double> values = stackalloc double[n];
        HermitianEigen.Eigenvalues(rho, n, values);
        if (values[0] >= -1e-12) return;
        var vectors = new Complex[n * n];
        var all = new double[n];
        HermitianEigen.Decompose(rho, n, all, vectors);
        double sum = 0;
        for (int k = 0; k < n; k++) sum += all[k] = Math.Max(0, all[k]);
        for (int k = 0; k < n; k++) all[k] /= sum;
        ComplexMatrix.FromSpectrum(vectors, all, n).CopyTo(rho, 0);
    }

    private void RequireState(DensityMatrix state)
    {
        if (state.Dimension != _n)
            throw new DreamException("DimensionMismatch", DreamErrorKind.InvalidArgument, $"The generator is {_n}-dimensional but the state is {state.Dimension}×{state.Dimension}.");
    }

    private void RequireLevel(int level)
    {
        if (level < 0 || level >= _n) throw new DreamException("InvalidChannel", DreamErrorKind.InvalidArgument, $"Level {level} is outside 0..{_n - 1}.");
    }

    private static void RequireRate(double rate)
    {
        if (!(rate >= 0) || !double.IsFinite(rate)) throw new DreamException("InvalidRate", DreamErrorKind.InvalidArgument, $"Rates must be finite and ≥ 0; got {rate}.");
    }
}
