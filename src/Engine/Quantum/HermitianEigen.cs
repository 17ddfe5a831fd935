using System.Numerics;

namespace Dreamwell.Quantum;

/// <summary>
/// Eigendecomposition of a complex Hermitian matrix (row-major, n×n): Householder reduction to a
/// Hermitian tridiagonal form, a diagonal unitary that makes the sub-diagonal real, then the implicit
/// QL iteration on the real symmetric tridiagonal matrix (the EISPACK tql2 scheme, as in JAMA).
/// Eigenvalues come out ascending. Work space lives on the stack for n ≤ <see cref="StackLimit"/>,
/// so the eigenvalue-only path allocates nothing.
/// </summary>
public static class HermitianEigen
{
    internal const int StackLimit = 16;
    private const int MaxQlIterationsPerValue = 64;

    /// <summary>Eigenvalues (ascending) of the Hermitian matrix <paramref name="matrix"/>.</summary>
    public static void Eigenvalues(ReadOnlySpan<Complex> matrix, int n, Span<double> values)
    {
        CheckShape(matrix, n, values);
        if (n <= StackLimit)
        {
            Span<Complex> work = stackalloc Complex[n * n];
            Span<double> sub = stackalloc double[n];
            Run(matrix, n, values, default, work, sub, default, default);
        }
        else
        {
            Run(matrix, n, values, default, new Complex[n * n], new double[n], default, default);
        }
    }

    /// <summary>
    /// Eigenvalues (ascending) and eigenvectors: column k of <paramref name="vectors"/> (row-major n×n)
    /// is the unit eigenvector for <c>values[k]</c>.
    /// </summary>
    public static void Decompose(ReadOnlySpan<Complex> matrix, int n, Span<double> values, Span<Complex> vectors)
    {
        CheckShape(matrix, n, values);
        if (vectors.Length < n * n) throw new ArgumentException("Eigenvector buffer is smaller than n×n.", nameof(vectors));
        var work = new Complex[n * n];
        var sub = new double[n];
        var z = new double[n * n];
        Run(matrix, n, values, vectors, work, sub, z, new Complex[n]);
    }

    private static void CheckShape(ReadOnlySpan<Complex> matrix, int n, Span<double> values)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), "Dimension must be at least 1.");
        if (matrix.Length < n * n) throw new ArgumentException("Matrix buffer is smaller than n×n.", nameof(matrix));
        if (values.Length < n) throw new ArgumentException("Eigenvalue buffer is smaller than n.", nameof(values));
    }

    private static void Run(ReadOnlySpan<Complex> matrix, int n, Span<double> d, Span<Complex> vectors,
        Span<Complex> w, Span<double> e, Span<double> z, Span<Complex> phase)
    {
        bool wantVectors = !vectors.IsEmpty;
        matrix[..(n * n)].CopyTo(w);
        if (wantVectors)
        {
            vectors[..(n * n)].Clear();
            for (int i = 0; i < n; i++) vectors[i * n + i] = Complex.One;
        }

        Span<Complex> v = n <= StackLimit ? stackalloc Complex[n] : new Complex[n];
        Span<Complex> p = n <= StackLimit ? stackalloc Complex[n] : new Complex[n];
        Span<Complex> sub = n <= StackLimit ? stackalloc Complex[n] : new Complex[n];

        for (int k = 0; k < n - 2; k++)
        {
            double xnorm2 = 0;
            for (int i = k + 1; i < n; i++) xnorm2 += Norm2(w[i * n + k]);
            double x0abs = Math.Sqrt(Norm2(w[(k + 1) * n + k]));
            double xnorm = Math.Sqrt(xnorm2);
            if (xnorm - x0abs <= 1e-300 * (xnorm + 1))
            {
                // Column already reduced (only its first entry is non-zero): no reflection needed.
                sub[k] = w[(k + 1) * n + k];
                continue;
            }
            Complex x0 = w[(k + 1) * n + k];
            Complex ph = x0abs == 0 ? Complex.One : x0 / x0abs;
            v[k + 1] = ph * (x0abs + xnorm);
            for (int i = k + 2; i < n; i++) v[i] = w[i * n + k];
            double tau = 1.0 / (xnorm * (xnorm + x0abs)); // 2 / ‖v‖², ‖v‖² = 2‖x‖(‖x‖ + |x0|)

            // p = τ A v over the trailing block; K = τ/2 · v*p; q = p − K v; A ← A − v q* − q v*.
            double kappa = 0;
            for (int i = k + 1; i < n; i++)
            {
                double re = 0, im = 0;
                int row = i * n;
                for (int j = k + 1; j < n; j++)
                {
                    Complex a = w[row + j], b = v[j];
                    re += a.Real * b.Real - a.Imaginary * b.Imaginary;
                    im += a.Real * b.Imaginary + a.Imaginary * b.Real;
                }
                p[i] = new Complex(tau * re, tau * im);
                kappa += v[i].Real * p[i].Real + v[i].Imaginary * p[i].Imaginary;
            }
            kappa *= 0.5 * tau;
            for (int i = k + 1; i < n; i++) p[i] -= kappa * v[i];
            for (int i = k + 1; i < n; i++)
            {
                int row = i * n;
                Complex vi = v[i], qi = p[i];
                for (int j = k + 1; j < n; j++)
                    w[row + j] -= vi * Complex.Conjugate(p[j]) + qi * Complex.Conjugate(v[j]);
            }
            sub[k] = -ph * xnorm;

            if (wantVectors)
            {
                for (int r = 0; r < n; r++)
                {
                    int row = r * n;
                    Complex s = Complex.Zero;
                    for (int j = k + 1; j < n; j++) s += vectors[row + j] * v[j];
                    s *= tau;
                    for (int j = k + 1; j < n; j++) vectors[row + j] -= s * Complex.Conjugate(v[j]);
                }
            }
        }
        if (n >= 2) sub[n - 2] = w[(n - 1) * n + (n - 2)];

        for (int i = 0; i < n; i++) d[i] = w[i * n + i].Real;

        // A diagonal unitary D with D* T D real: phase[k+1] = phase[k]·e_k/|e_k|.
        if (wantVectors) phase[0] = Complex.One;
        for (int k = 0; k < n - 1; k++)
        {
            double a = Math.Sqrt(Norm2(sub[k]));
            e[k] = a;
            if (wantVectors) phase[k + 1] = a == 0 ? phase[k] : phase[k] * (sub[k] / a);
        }
        e[n - 1] = 0;

        if (wantVectors)
        {
            z[..(n * n)].Clear();
            for (int i = 0; i < n; i++) z[i * n + i] = 1;
        }
        TridiagonalQl(n, d, e, z, wantVectors);

        if (wantVectors)
        {
            // Eigenvectors of A are the columns of Q·D·Z.
            Span<Complex> row = n <= StackLimit ? stackalloc Complex[n] : new Complex[n];
            for (int r = 0; r < n; r++)
            {
                for (int k = 0; k < n; k++) row[k] = vectors[r * n + k] * phase[k];
                for (int c = 0; c < n; c++)
                {
                    Complex s = Complex.Zero;
                    for (int k = 0; k < n; k++) s += row[k] * z[k * n + c];
                    vectors[r * n + c] = s;
                }
            }
        }
    }

    /// <summary>Implicit QL on the real symmetric tridiagonal (d, e); e[i] couples i and i+1.</summary>
    private static void TridiagonalQl(int n, Span<double> d, Span<double> e, Span<double> z, bool wantVectors)
    {
        double f = 0, tst1 = 0;
        const double eps = 2.220446049250313e-16;
        for (int l = 0; l < n; l++)
        {
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.Abs(e[m]) > eps * tst1) m++;
            if (m > l)
            {
                int iter = 0;
                do
                {
                    if (++iter > MaxQlIterationsPerValue)
                        throw new DreamException("EigenNoConvergence", DreamErrorKind.InvalidData, "Hermitian eigensolver did not converge (is the matrix finite?).");
                    double g = d[l];
                    double pp = (d[l + 1] - g) / (2.0 * e[l]);
                    double r = Math.Sqrt(pp * pp + 1.0);
                    if (pp < 0) r = -r;
                    d[l] = e[l] / (pp + r);
                    d[l + 1] = e[l] * (pp + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;

                    pp = d[m];
                    double c = 1, c2 = 1, c3 = 1, el1 = e[l + 1], s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--)
                    {
                        c3 = c2; c2 = c; s2 = s;
                        g = c * e[i];
                        h = c * pp;
                        r = Math.Sqrt(pp * pp + e[i] * e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = pp / r;
                        pp = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        if (wantVectors)
                        {
                            for (int k = 0; k < n; k++)
                            {
                                h = z[k * n + i + 1];
                                z[k * n + i + 1] = s * z[k * n + i] + c * h;
                                z[k * n + i] = c * z[k * n + i] - s * h;
                            }
                        }
                    }
                    pp = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * pp;
                    d[l] = c * pp;
                } while (Math.Abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }

        // Selection sort ascending (n is small), carrying the vectors along.
        for (int i = 0; i < n - 1; i++)
        {
            int k = i;
            double best = d[i];
            for (int j = i + 1; j < n; j++) if (d[j] < best) { k = j; best = d[j]; }
            if (k == i) continue;
            d[k] = d[i];
            d[i] = best;
            if (!wantVectors) continue;
            for (int j = 0; j < n; j++) (z[j * n + i], z[j * n + k]) = (z[j * n + k], z[j * n + i]);
        }
    }

    internal static double Norm2(Complex c) => c.Real * c.Real + c.Imaginary * c.Imaginary;
}
