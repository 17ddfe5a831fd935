using System.Numerics;
using System.Runtime.CompilerServices;

namespace Dreamwell.Quantum;

/// <summary>
/// Eigendecomposition of a complex Hermitian matrix (row-major, n×n): Householder reduction to a
/// Hermitian tridiagonal form, a diagonal unitary that makes the sub-diagonal real, then the implicit
/// QL iteration on the real symmetric tridiagonal matrix (the EISPACK tql2 scheme, as in JAMA).
/// Eigenvalues come out ascending. Work space lives on the stack for n ≤ <see cref="StackLimit"/>,
/// so the eigenvalue-only path allocates nothing.
/// </summary>
[SkipLocalsInit] // every work buffer is written before it is read
public static class HermitianEigen
{
    internal const int StackLimit = 16;
    private const int MaxQlIterationsPerValue = 64;

    /// <summary>Eigenvalues (ascending) of the Hermitian matrix <paramref name="matrix"/> (its lower triangle is read).</summary>
    public static void Eigenvalues(ReadOnlySpan<Complex> matrix, int n, Span<double> values)
    {
        CheckShape(matrix, n, values);
        if (n <= StackLimit)
        {
            Span<double> work = stackalloc double[2 * n * n + 8 * n];
            Run(matrix, n, values, default, work, default);
        }
        else
        {
            Run(matrix, n, values, default, new double[2 * n * n + 8 * n], default);
        }
    }

    /// <summary>
    /// Eigenvalues (ascending) and eigenvectors: column k of <paramref name="vectors"/> (row-major n×n)
    /// is the unit eigenvector for <c>values[k]</c>. Only the lower triangle of the matrix is read.
    /// </summary>
    public static void Decompose(ReadOnlySpan<Complex> matrix, int n, Span<double> values, Span<Complex> vectors)
    {
        CheckShape(matrix, n, values);
        if (vectors.Length < n * n) throw new ArgumentException("Eigenvector buffer is smaller than n×n.", nameof(vectors));
        Run(matrix, n, values, vectors, new double[2 * n * n + 8 * n], new double[3 * n * n + 2 * n]);
    }

    private static void CheckShape(ReadOnlySpan<Complex> matrix, int n, Span<double> values)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), "Dimension must be at least 1.");
        if (matrix.Length < n * n) throw new ArgumentException("Matrix buffer is smaller than n×n.", nameof(matrix));
        if (values.Length < n) throw new ArgumentException("Eigenvalue buffer is smaller than n.", nameof(values));
    }

    /// <summary>
    /// work: 2n² + 8n doubles (lower triangle re/im, v, p, sub-diagonal re/im, real sub-diagonal).
    /// vectorWork (eigenvectors only): 3n² + 2n doubles (Q re/im, Z, phases re/im).
    /// </summary>
    private static void Run(ReadOnlySpan<Complex> matrix, int n, Span<double> d, Span<Complex> vectors,
        Span<double> work, Span<double> vectorWork)
    {
        bool wantVectors = !vectors.IsEmpty;
        int nn = n * n;
        Span<double> wr = work[..nn], wi = work.Slice(nn, nn);
        Span<double> vr = work.Slice(2 * nn, n), vi = work.Slice(2 * nn + n, n);
        Span<double> pr = work.Slice(2 * nn + 2 * n, n), pi = work.Slice(2 * nn + 3 * n, n);
        Span<double> sr = work.Slice(2 * nn + 4 * n, n), si = work.Slice(2 * nn + 5 * n, n);
        Span<double> e = work.Slice(2 * nn + 6 * n, n);
        Span<double> qr = default, qi = default, z = default, phr = default, phi = default;

        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                wr[i * n + j] = matrix[i * n + j].Real;
                wi[i * n + j] = matrix[i * n + j].Imaginary;
            }
        if (wantVectors)
        {
            qr = vectorWork[..nn]; qi = vectorWork.Slice(nn, nn); z = vectorWork.Slice(2 * nn, nn);
            phr = vectorWork.Slice(3 * nn, n); phi = vectorWork.Slice(3 * nn + n, n);
            qr.Clear(); qi.Clear();
            for (int i = 0; i < n; i++) qr[i * n + i] = 1;
        }

        // Householder: for each column k, a reflection H = I − τvv* maps the part below the diagonal
        // onto its first entry. Only the lower triangle of the Hermitian working matrix is kept.
        for (int k = 0; k < n - 2; k++)
        {
            double xnorm2 = 0;
            for (int i = k + 1; i < n; i++) xnorm2 += wr[i * n + k] * wr[i * n + k] + wi[i * n + k] * wi[i * n + k];
            double x0r = wr[(k + 1) * n + k], x0i = wi[(k + 1) * n + k];
            double x0abs = Math.Sqrt(x0r * x0r + x0i * x0i);
            double xnorm = Math.Sqrt(xnorm2);
            if (xnorm - x0abs <= 1e-300 * (xnorm + 1))
            {
                // Column already reduced (only its first entry is non-zero): no reflection needed.
                sr[k] = x0r;
                si[k] = x0i;
                continue;
            }
            double phR = x0abs == 0 ? 1 : x0r / x0abs, phI = x0abs == 0 ? 0 : x0i / x0abs;
            vr[k + 1] = phR * (x0abs + xnorm);
            vi[k + 1] = phI * (x0abs + xnorm);
            for (int i = k + 2; i < n; i++) { vr[i] = wr[i * n + k]; vi[i] = wi[i * n + k]; }
            double tau = 1.0 / (xnorm * (xnorm + x0abs)); // 2 / ‖v‖², ‖v‖² = 2‖x‖(‖x‖ + |x0|)

            // p = τAv over the trailing block; κ = τ/2·v*p; q = p − κv; A ← A − vq* − qv*.
            double kappa = 0;
            for (int i = k + 1; i < n; i++)
            {
                double re = 0, im = 0;
                int row = i * n;
                for (int j = k + 1; j <= i; j++)
                {
                    double ar = wr[row + j], ai = wi[row + j];
                    re += ar * vr[j] - ai * vi[j];
                    im += ar * vi[j] + ai * vr[j];
                }
                for (int j = i + 1; j < n; j++)
                {
                    double ar = wr[j * n + i], ai = -wi[j * n + i];
                    re += ar * vr[j] - ai * vi[j];
                    im += ar * vi[j] + ai * vr[j];
                }
                pr[i] = tau * re;
                pi[i] = tau * im;
                kappa += vr[i] * pr[i] + vi[i] * pi[i];
            }
            kappa *= 0.5 * tau;
            for (int i = k + 1; i < n; i++) { pr[i] -= kappa * vr[i]; pi[i] -= kappa * vi[i]; }
            for (int i = k + 1; i < n; i++)
            {
                int row = i * n;
                double a = vr[i], b = vi[i], c = pr[i], dd = pi[i];
                for (int j = k + 1; j <= i; j++)
                {
                    // v_i·conj(q_j) + q_i·conj(v_j)
                    wr[row + j] -= a * pr[j] + b * pi[j] + c * vr[j] + dd * vi[j];
                    wi[row + j] -= b * pr[j] - a * pi[j] + dd * vr[j] - c * vi[j];
                }
            }
            sr[k] = -phR * xnorm;
            si[k] = -phI * xnorm;

            if (wantVectors)
            {
                // Q ← Q·H = Q − τ(Qv)v*.
                for (int r = 0; r < n; r++)
                {
                    int row = r * n;
                    double tr = 0, ti = 0;
                    for (int j = k + 1; j < n; j++)
                    {
                        tr += qr[row + j] * vr[j] - qi[row + j] * vi[j];
                        ti += qr[row + j] * vi[j] + qi[row + j] * vr[j];
                    }
                    tr *= tau; ti *= tau;
                    for (int j = k + 1; j < n; j++)
                    {
                        qr[row + j] -= tr * vr[j] + ti * vi[j];
                        qi[row + j] -= ti * vr[j] - tr * vi[j];
                    }
                }
            }
        }
        if (n >= 2)
        {
            sr[n - 2] = wr[(n - 1) * n + (n - 2)];
            si[n - 2] = wi[(n - 1) * n + (n - 2)];
        }

        for (int i = 0; i < n; i++) d[i] = wr[i * n + i];

        // A diagonal unitary D with D*TD real: phase[k+1] = phase[k]·e_k/|e_k|.
        if (wantVectors) { phr[0] = 1; phi[0] = 0; }
        for (int k = 0; k < n - 1; k++)
        {
            double a = Math.Sqrt(sr[k] * sr[k] + si[k] * si[k]);
            e[k] = a;
            if (!wantVectors) continue;
            if (a == 0) { phr[k + 1] = phr[k]; phi[k + 1] = phi[k]; continue; }
            double ur = sr[k] / a, ui = si[k] / a;
            phr[k + 1] = phr[k] * ur - phi[k] * ui;
            phi[k + 1] = phr[k] * ui + phi[k] * ur;
        }
        e[n - 1] = 0;

        if (wantVectors)
        {
            z.Clear();
            for (int i = 0; i < n; i++) z[i * n + i] = 1;
        }
        if (wantVectors)
            TridiagonalQl(n, d, e, z, wantVectors: true);
        else
        {
            for (int k = 0; k < n; k++) e[k] *= e[k];
            TridiagonalRationalQl(n, d, e);
        }

        if (wantVectors)
        {
            // Eigenvectors of A are the columns of Q·D·Z.
            for (int r = 0; r < n; r++)
            {
                int row = r * n;
                for (int k = 0; k < n; k++)
                {
                    double a = qr[row + k], b = qi[row + k];
                    qr[row + k] = a * phr[k] - b * phi[k];
                    qi[row + k] = a * phi[k] + b * phr[k];
                }
                for (int c = 0; c < n; c++)
                {
                    double tr = 0, ti = 0;
                    for (int k = 0; k < n; k++) { tr += qr[row + k] * z[k * n + c]; ti += qi[row + k] * z[k * n + c]; }
                    vectors[row + c] = new Complex(tr, ti);
                }
            }
        }
    }

    /// <summary>
    /// Eigenvalues only: Reinsch's rational QL (EISPACK tqlrat) on the diagonal d and the squared
    /// sub-diagonal e2 (e2[i] couples i and i+1). No square root in the inner loop, which is what bounds
    /// the latency of a 5×5 solve. Eigenvalues come out ascending.
    /// </summary>
    private static void TridiagonalRationalQl(int n, Span<double> d, Span<double> e2)
    {
        const double eps = 2.220446049250313e-16;
        double f = 0, t = 0, b = 0, c = 0;
        e2[n - 1] = 0;
        for (int l = 0; l < n; l++)
        {
            int iter = 0;
            double h = Math.Abs(d[l]) + Math.Sqrt(e2[l]);
            if (t <= h)
            {
                t = h;
                b = eps * t;
                c = b * b;
            }
            int m = l;
            while (m < n - 1 && e2[m] > c) m++;
            if (m == l + 1)
            {
                // An isolated 2×2 block: closed form (one square root) instead of QL iterations.
                // d holds values less the accumulated shift f, which both get below.
                double mean = 0.5 * (d[l] + d[m]), half = 0.5 * (d[l] - d[m]);
                double radius = Math.Sqrt(half * half + e2[l]);
                d[l] = mean - radius;
                d[m] = mean + radius;
                e2[l] = 0;
            }
            else if (m > l)
            {
                while (true)
                {
                    if (++iter > MaxQlIterationsPerValue)
                        throw new DreamException("EigenNoConvergence", DreamErrorKind.InvalidData, "Hermitian eigensolver did not converge (is the matrix finite?).");
                    // Shift from the leading 2×2 of the unreduced block.
                    double s = Math.Sqrt(e2[l]);
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2.0 * s);
                    double r = Math.Sqrt(p * p + 1.0);
                    d[l] = s / (p + (p < 0 ? -r : r));
                    h = g - d[l];
                    for (int i = l + 1; i < n; i++) d[i] -= h;
                    f += h;

                    g = d[m];
                    if (g == 0) g = b;
                    h = g;
                    s = 0;
                    for (int i = m - 1; i >= l; i--)
                    {
                        p = g * h;
                        r = p + e2[i];
                        e2[i + 1] = s * r;
                        s = e2[i] / r;
                        d[i + 1] = h + s * (h + d[i]);
                        g = d[i] - e2[i] / g;
                        if (g == 0) g = b;
                        h = g * p / r;
                    }
                    e2[l] = s * g;
                    d[l] = h;
                    if (h == 0 || Math.Abs(e2[l]) <= Math.Abs(c / h)) break;
                    e2[l] = h * e2[l];
                    if (e2[l] == 0) break;
                }
            }
            // Insert d[l] + f into the ascending run d[0..l).
            double value = d[l] + f;
            int at = l;
            while (at > 0 && value < d[at - 1])
            {
                d[at] = d[at - 1];
                at--;
            }
            d[at] = value;
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
