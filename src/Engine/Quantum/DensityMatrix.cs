using System.Globalization;
using System.Numerics;
using System.Text;

namespace Dreamwell.Quantum;

/// <summary>
/// A density matrix ρ: complex n×n, Hermitian, trace 1, positive semidefinite. Immutable; every
/// public constructor validates within <see cref="DefaultTolerance"/> (or the tolerance given) and
/// names the violated property in the <see cref="DreamException.ErrorId"/>: NotSquare, NotFinite,
/// NotHermitian, TraceNotOne, NotPositiveSemidefinite.
/// </summary>
public sealed class DensityMatrix
{
    /// <summary>Absolute tolerance for Hermiticity (max |ρij − conj ρji|), trace (|Tr ρ − 1|) and the smallest eigenvalue (≥ −tol).</summary>
    public const double DefaultTolerance = 1e-9;

    /// <summary>Largest dimension accepted: eigensolves are O(n³) and this is a small-system library.</summary>
    public const int MaxDimension = 64;

    internal readonly Complex[] Elements;
    private double[]? _eigenvalues;

    private DensityMatrix(Complex[] elements, int n)
    {
        Elements = elements;
        Dimension = n;
    }

    public int Dimension { get; }

    public Complex this[int row, int column] => Elements[row * Dimension + column];

    /// <summary>The diagonal ρii: the probability of each basis state.</summary>
    public double[] Populations
    {
        get
        {
            var p = new double[Dimension];
            for (int i = 0; i < Dimension; i++) p[i] = Elements[i * Dimension + i].Real;
            return p;
        }
    }

    /// <summary>A copy of ρ as a rectangular array.</summary>
    public Complex[,] ToArray()
    {
        var m = new Complex[Dimension, Dimension];
        for (int i = 0; i < Dimension; i++)
            for (int j = 0; j < Dimension; j++) m[i, j] = Elements[i * Dimension + j];
        return m;
    }

    // ---- construction ------------------------------------------------------------------------

    /// <summary>The diagonal (incoherent) state with the given populations; they must be ≥ 0 and sum to 1.</summary>
    public static DensityMatrix FromPopulations(ReadOnlySpan<double> populations, double tolerance = DefaultTolerance)
    {
        int n = populations.Length;
        RequireDimension(n);
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double p = populations[i];
            if (!double.IsFinite(p)) throw new DreamException("NotFinite", DreamErrorKind.InvalidArgument, $"Population {i} is not a finite number.");
            if (p < -tolerance)
                throw new DreamException("NotPositiveSemidefinite", DreamErrorKind.InvalidArgument,
                    $"Population {i} is {p:G6}; populations are probabilities and must be ≥ 0.");
            sum += p;
        }
        if (Math.Abs(sum - 1) > tolerance)
            throw new DreamException("TraceNotOne", DreamErrorKind.InvalidArgument,
                $"Populations sum to {sum:G10}; a density matrix has trace 1 (tolerance {tolerance:G3}).");
        var m = new Complex[n * n];
        for (int i = 0; i < n; i++) m[i * n + i] = Math.Max(0, populations[i]);
        return new DensityMatrix(m, n);
    }

    /// <summary>The pure state |ψ⟩⟨ψ|; ψ is normalised here (a zero vector is refused).</summary>
    public static DensityMatrix FromStateVector(ReadOnlySpan<Complex> state)
    {
        int n = state.Length;
        RequireDimension(n);
        if (!ComplexMatrix.AllFinite(state)) throw new DreamException("NotFinite", DreamErrorKind.InvalidArgument, "The state vector has a non-finite entry.");
        double norm2 = 0;
        foreach (var a in state) norm2 += HermitianEigen.Norm2(a);
        if (norm2 < 1e-300) throw new DreamException("ZeroStateVector", DreamErrorKind.InvalidArgument, "The state vector is zero and cannot be normalised.");
        var m = new Complex[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m[i * n + j] = state[i] * Complex.Conjugate(state[j]) / norm2;
        ComplexMatrix.Hermitize(m, n);
        return new DensityMatrix(m, n);
    }

    public static DensityMatrix FromMatrix(Complex[,] matrix, double tolerance = DefaultTolerance) =>
        FromRowMajor(ComplexMatrix.FromRectangular(matrix, "A density matrix"), matrix.GetLength(0), tolerance);

    public static DensityMatrix FromRows(IReadOnlyList<IReadOnlyList<Complex>> rows, double tolerance = DefaultTolerance) =>
        FromRowMajor(ComplexMatrix.FromRows(rows, "A density matrix"), rows.Count, tolerance);

    /// <summary>Validates a row-major n×n matrix as a density matrix and stores its Hermitian part.</summary>
    public static DensityMatrix FromRowMajor(ReadOnlySpan<Complex> elements, int n, double tolerance = DefaultTolerance)
    {
        RequireDimension(n);
        if (elements.Length != n * n)
            throw new DreamException("NotSquare", DreamErrorKind.InvalidArgument, $"Expected {n * n} entries for a {n}×{n} matrix, got {elements.Length}.");
        if (!(tolerance >= 0)) throw new DreamException("InvalidTolerance", DreamErrorKind.InvalidArgument, "Tolerance must be ≥ 0.");
        if (!ComplexMatrix.AllFinite(elements)) throw new DreamException("NotFinite", DreamErrorKind.InvalidArgument, "The matrix has a non-finite entry.");
        double defect = ComplexMatrix.HermitianDefect(elements, n);
        if (defect > tolerance)
            throw new DreamException("NotHermitian", DreamErrorKind.InvalidArgument,
                $"The matrix is not Hermitian: max |ρ[i,j] − conj(ρ[j,i])| = {defect:G3} exceeds the tolerance {tolerance:G3}.");
        Complex trace = Complex.Zero;
        for (int i = 0; i < n; i++) trace += elements[i * n + i];
        if (Math.Abs(trace.Real - 1) > tolerance)
            throw new DreamException("TraceNotOne", DreamErrorKind.InvalidArgument,
                $"The trace is {trace.Real:G10}; a density matrix has trace 1 (tolerance {tolerance:G3}).");
        var copy = elements.ToArray();
        ComplexMatrix.Hermitize(copy, n);
        var rho = new DensityMatrix(copy, n);
        double smallest = rho.Eigenvalues[0];
        if (smallest < -tolerance)
            throw new DreamException("NotPositiveSemidefinite", DreamErrorKind.InvalidArgument,
                $"The matrix is not positive semidefinite: its smallest eigenvalue is {smallest:G6} (tolerance {tolerance:G3}).");
        return rho;
    }

    /// <summary>I/n: every basis state equally likely, no coherence (entropy ln n).</summary>
    public static DensityMatrix MaximallyMixed(int n)
    {
        RequireDimension(n);
        var m = new Complex[n * n];
        for (int i = 0; i < n; i++) m[i * n + i] = 1.0 / n;
        return new DensityMatrix(m, n);
    }

    /// <summary>
    /// The Gibbs (thermal) state e^(−H/T)/Z, which minimises F = ⟨H⟩ − T·S. T = 0 gives the uniform
    /// mixture over the ground space of H.
    /// </summary>
    public static DensityMatrix Gibbs(Hamiltonian hamiltonian, double temperature)
    {
        RequireTemperature(temperature);
        int n = hamiltonian.Dimension;
        var levels = new double[n];
        var vectors = new Complex[n * n];
        HermitianEigen.Decompose(hamiltonian.Elements, n, levels, vectors);
        var weights = new double[n];
        double z = 0;
        for (int k = 0; k < n; k++)
        {
            double gap = levels[k] - levels[0];
            weights[k] = temperature == 0
                ? (gap <= 1e-12 * Math.Max(1, Math.Abs(levels[0])) ? 1 : 0)
                : Math.Exp(-gap / temperature);
            z += weights[k];
        }
        for (int k = 0; k < n; k++) weights[k] /= z;
        return Trusted(ComplexMatrix.FromSpectrum(vectors, weights, n), n);
    }

    /// <summary>For engine code that produced ρ by a validity-preserving operation (e.g. a CPTP step).</summary>
    internal static DensityMatrix Trusted(Complex[] elements, int n) => new(elements, n);

    // ---- spectral quantities --------------------------------------------------------------------

    /// <summary>Eigenvalues of ρ, ascending (the probabilities of its eigenstates). Computed once, then cached.</summary>
    public IReadOnlyList<double> Eigenvalues => _eigenvalues ??= ComputeEigenvalues();

    private double[] ComputeEigenvalues()
    {
        var values = new double[Dimension];
        HermitianEigen.Eigenvalues(Elements, Dimension, values);
        return values;
    }

    /// <summary>von Neumann entropy S = −Tr ρ ln ρ = −Σ λ ln λ (nats; 0 for a pure state, ln n for I/n).</summary>
    public double Entropy => EntropyOf((double[])Eigenvalues);

    /// <summary>Purity Tr ρ² = Σ |ρij|² (1 for a pure state, 1/n for I/n).</summary>
    public double Purity => PurityOf(Elements, Dimension);

    /// <summary>Linear entropy 1 − Tr ρ² (0 for a pure state, 1 − 1/n for I/n).</summary>
    public double LinearEntropy => 1 - Purity;

    /// <summary>⟨H⟩ = Tr(ρH).</summary>
    public double Energy(Hamiltonian hamiltonian)
    {
        hamiltonian.RequireDimension(Dimension);
        return ComplexMatrix.TraceOfProductReal(Elements, hamiltonian.Elements, Dimension);
    }

    /// <summary>Free energy F = ⟨H⟩ − T·S.</summary>
    public double FreeEnergy(Hamiltonian hamiltonian, double temperature)
    {
        RequireTemperature(temperature);
        return Energy(hamiltonian) - temperature * Entropy;
    }

    /// <summary>
    /// Exact F = Tr(ρH) − T·S(ρ) straight from row-major buffers, eigensolve included, no allocation
    /// for n ≤ 16. This is the measured "exact" health path; inputs are trusted (already validated).
    /// </summary>
    public static double FreeEnergy(ReadOnlySpan<Complex> rho, ReadOnlySpan<Complex> hamiltonian, int n, double temperature)
    {
        double energy = ComplexMatrix.TraceOfProductReal(rho, hamiltonian, n);
        Span<double> values = n <= HermitianEigen.StackLimit ? stackalloc double[n] : new double[n];
        HermitianEigen.Eigenvalues(rho, n, values);
        return energy - temperature * EntropyOf(values);
    }

    internal static double EntropyOf(ReadOnlySpan<double> eigenvalues)
    {
        double s = 0;
        foreach (double l in eigenvalues)
            if (l > 0) s -= l * Math.Log(l);
        return s;
    }

    internal static double PurityOf(ReadOnlySpan<Complex> m, int n)
    {
        double s = 0;
        for (int i = 0; i < n * n; i++) s += HermitianEigen.Norm2(m[i]);
        return s;
    }

    /// <summary>All figures at once; energy and free energy only when a Hamiltonian is given.</summary>
    public DensityMeasurement Measure(Hamiltonian? hamiltonian = null, double temperature = 0)
    {
        RequireTemperature(temperature);
        double? energy = hamiltonian is null ? null : Energy(hamiltonian);
        double entropy = Entropy;
        return new DensityMeasurement(
            Dimension, ((double[])Eigenvalues).ToArray(), entropy, Purity, LinearEntropy,
            energy, hamiltonian is null ? null : temperature,
            energy is { } e ? e - temperature * entropy : null);
    }

    // ---- comparisons between states -------------------------------------------------------------

    /// <summary>
    /// Uhlmann fidelity F(ρ,σ) = (Tr √(√ρ σ √ρ))², in [0,1]; 1 iff ρ = σ. Square roots are ill-conditioned
    /// near 0, so for rank-deficient states expect ~1e-7 absolute accuracy rather than 1e-15.
    /// </summary>
    public double Fidelity(DensityMatrix other)
    {
        RequireSameDimension(other);
        int n = Dimension;
        // Eigenvalues at round-off level (below 1e-14 of the largest) are taken as 0: √ of noise
        // (√1e-17 ≈ 3e-9) would otherwise dominate the error for rank-deficient states.
        double cut = 1e-14 * Eigenvalues[^1];
        var root = Function(l => l > cut ? Math.Sqrt(l) : 0);
        var temp = new Complex[n * n];
        var sandwich = new Complex[n * n];
        ComplexMatrix.Multiply(root, other.Elements, temp, n);
        ComplexMatrix.Multiply(temp, root, sandwich, n);
        ComplexMatrix.Hermitize(sandwich, n);
        var mu = new double[n];
        HermitianEigen.Eigenvalues(sandwich, n, mu);
        double s = 0;
        double muCut = 1e-14 * Math.Max(mu[^1], 0);
        foreach (double m in mu) if (m > muCut) s += Math.Sqrt(m);
        return Math.Min(1, s * s);
    }

    /// <summary>Trace distance ½‖ρ − σ‖₁ = ½ Σ |eig(ρ − σ)|, in [0,1].</summary>
    public double TraceDistance(DensityMatrix other)
    {
        RequireSameDimension(other);
        int n = Dimension;
        var diff = new Complex[n * n];
        for (int i = 0; i < n * n; i++) diff[i] = Elements[i] - other.Elements[i];
        var values = new double[n];
        HermitianEigen.Eigenvalues(diff, n, values);
        double s = 0;
        foreach (double v in values) s += Math.Abs(v);
        return 0.5 * s;
    }

    /// <summary>
    /// Traces out subsystem <paramref name="traceOut"/> of a composite system whose parts have the
    /// given dimensions (their product must be <see cref="Dimension"/>; index order is the Kronecker order).
    /// </summary>
    public DensityMatrix PartialTrace(IReadOnlyList<int> subsystemDimensions, int traceOut)
    {
        int product = 1;
        foreach (int d in subsystemDimensions)
        {
            if (d < 1) throw new DreamException("InvalidSubsystem", DreamErrorKind.InvalidArgument, "Subsystem dimensions must be ≥ 1.");
            product *= d;
        }
        if (product != Dimension)
            throw new DreamException("InvalidSubsystem", DreamErrorKind.InvalidArgument,
                $"Subsystem dimensions multiply to {product}, but ρ is {Dimension}×{Dimension}.");
        if (traceOut < 0 || traceOut >= subsystemDimensions.Count)
            throw new DreamException("InvalidSubsystem", DreamErrorKind.InvalidArgument, $"There is no subsystem {traceOut}.");
        int dk = subsystemDimensions[traceOut];
        int inner = 1;
        for (int i = traceOut + 1; i < subsystemDimensions.Count; i++) inner *= subsystemDimensions[i];
        int m = Dimension / dk;
        var result = new Complex[m * m];
        int Expand(int reduced, int t) => reduced / inner * (dk * inner) + t * inner + reduced % inner;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                Complex s = Complex.Zero;
                for (int t = 0; t < dk; t++) s += Elements[Expand(i, t) * Dimension + Expand(j, t)];
                result[i * m + j] = s;
            }
        return new DensityMatrix(result, m);
    }

    /// <summary>The Kronecker product ρ ⊗ σ (a composite state with independent parts).</summary>
    public DensityMatrix Tensor(DensityMatrix other)
    {
        int a = Dimension, b = other.Dimension, n = a * b;
        RequireDimension(n);
        var m = new Complex[n * n];
        for (int i = 0; i < a; i++)
            for (int j = 0; j < a; j++)
                for (int k = 0; k < b; k++)
                    for (int l = 0; l < b; l++)
                        m[(i * b + k) * n + j * b + l] = Elements[i * a + j] * other.Elements[k * b + l];
        return new DensityMatrix(m, n);
    }

    /// <summary>f(ρ) through the eigendecomposition (f applied to eigenvalues clipped at 0).</summary>
    internal Complex[] Function(Func<double, double> f)
    {
        int n = Dimension;
        var values = new double[n];
        var vectors = new Complex[n * n];
        HermitianEigen.Decompose(Elements, n, values, vectors);
        for (int k = 0; k < n; k++) values[k] = f(Math.Max(0, values[k]));
        return ComplexMatrix.FromSpectrum(vectors, values, n);
    }

    // ---- text -----------------------------------------------------------------------------------

    /// <summary>ρ as an aligned matrix, one bracketed row per line, 4 decimals; imaginary parts shown only where present.</summary>
    public override string ToString() => Format(4);

    public string Format(int decimals)
    {
        int n = Dimension;
        var cells = new string[n * n];
        int width = 0;
        for (int i = 0; i < n * n; i++)
        {
            cells[i] = FormatComplex(Elements[i], decimals);
            width = Math.Max(width, cells[i].Length);
        }
        var text = new StringBuilder();
        for (int i = 0; i < n; i++)
        {
            if (i > 0) text.Append('\n');
            text.Append('[');
            for (int j = 0; j < n; j++)
            {
                text.Append(' ');
                text.Append(cells[i * n + j].PadLeft(width));
            }
            text.Append(" ]");
        }
        return text.ToString();
    }

    private static string FormatComplex(Complex c, int decimals)
    {
        double threshold = 0.5 * Math.Pow(10, -decimals);
        string Part(double x) => (Math.Abs(x) < threshold ? 0.0 : x).ToString("F" + decimals, CultureInfo.InvariantCulture);
        if (Math.Abs(c.Imaginary) < threshold) return Part(c.Real);
        string sign = c.Imaginary < 0 ? "-" : "+";
        return $"{Part(c.Real)}{sign}{Part(Math.Abs(c.Imaginary))}i";
    }

    // ---- guards ---------------------------------------------------------------------------------

    internal static void RequireDimension(int n)
    {
        if (n < 1) throw new DreamException("EmptyMatrix", DreamErrorKind.InvalidArgument, "A density matrix needs at least one basis state.");
        if (n > MaxDimension)
            throw new DreamException("DimensionTooLarge", DreamErrorKind.LimitExceeded, $"Dimension {n} exceeds the limit of {MaxDimension}.");
    }

    internal static void RequireTemperature(double temperature)
    {
        if (!(temperature >= 0) || !double.IsFinite(temperature))
            throw new DreamException("InvalidTemperature", DreamErrorKind.InvalidArgument, $"Temperature must be a finite number ≥ 0; got {temperature}.");
    }

    private void RequireSameDimension(DensityMatrix other)
    {
        if (other.Dimension != Dimension)
            throw new DreamException("DimensionMismatch", DreamErrorKind.InvalidArgument, $"Cannot compare a {Dimension}×{Dimension} state with a {other.Dimension}×{other.Dimension} one.");
    }
}
