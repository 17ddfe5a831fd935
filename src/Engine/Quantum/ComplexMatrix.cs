using System.Numerics;

namespace Dreamwell.Quantum;

/// <summary>Small dense complex matrix helpers over row-major spans (n×n); no allocation of their own.</summary>
internal static class ComplexMatrix
{
    /// <summary>c = a·b.</summary>
    public static void Multiply(ReadOnlySpan<Complex> a, ReadOnlySpan<Complex> b, Span<Complex> c, int n)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                Complex s = Complex.Zero;
                for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
                c[i * n + j] = s;
            }
    }

    /// <summary>c = a·b†.</summary>
    public static void MultiplyAdjointRight(ReadOnlySpan<Complex> a, ReadOnlySpan<Complex> b, Span<Complex> c, int n)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                Complex s = Complex.Zero;
                for (int k = 0; k < n; k++) s += a[i * n + k] * Complex.Conjugate(b[j * n + k]);
                c[i * n + j] = s;
            }
    }

    /// <summary>Re Tr(a·b) for row-major a, b.</summary>
    public static double TraceOfProductReal(ReadOnlySpan<Complex> a, ReadOnlySpan<Complex> b, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
            {
                Complex x = a[i * n + k], y = b[k * n + i];
                s += x.Real * y.Real - x.Imaginary * y.Imaginary;
            }
        return s;
    }

    /// <summary>Largest |a_ij − conj(a_ji)|: how far a matrix is from Hermitian.</summary>
    public static double HermitianDefect(ReadOnlySpan<Complex> a, int n)
    {
        double worst = 0;
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
                worst = Math.Max(worst, Complex.Abs(a[i * n + j] - Complex.Conjugate(a[j * n + i])));
        return worst;
    }

    /// <summary>Replaces a by (a + a†)/2.</summary>
    public static void Hermitize(Span<Complex> a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            a[i * n + i] = new Complex(a[i * n + i].Real, 0);
            for (int j = i + 1; j < n; j++)
            {
                Complex m = 0.5 * (a[i * n + j] + Complex.Conjugate(a[j * n + i]));
                a[i * n + j] = m;
                a[j * n + i] = Complex.Conjugate(m);
            }
        }
    }

    /// <summary>V·diag(f(λ))·V† for an eigendecomposition (columns of V are eigenvectors).</summary>
    public static Complex[] FromSpectrum(ReadOnlySpan<Complex> vectors, ReadOnlySpan<double> mappedValues, int n)
    {
        var result = new Complex[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                Complex s = Complex.Zero;
                for (int k = 0; k < n; k++)
                    s += vectors[i * n + k] * mappedValues[k] * Complex.Conjugate(vectors[j * n + k]);
                result[i * n + j] = s;
                result[j * n + i] = Complex.Conjugate(s);
            }
        for (int i = 0; i < n; i++) result[i * n + i] = new Complex(result[i * n + i].Real, 0);
        return result;
    }

    public static bool AllFinite(ReadOnlySpan<Complex> a)
    {
        foreach (var c in a)
            if (!double.IsFinite(c.Real) || !double.IsFinite(c.Imaginary)) return false;
        return true;
    }

    public static Complex[] FromRectangular(Complex[,] m, string what)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        if (rows != cols)
            throw new DreamException("NotSquare", DreamErrorKind.InvalidArgument, $"{what} must be square; got {rows}×{cols}.");
        var flat = new Complex[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) flat[i * cols + j] = m[i, j];
        return flat;
    }

    public static Complex[] FromRows(IReadOnlyList<IReadOnlyList<Complex>> rows, string what)
    {
        int n = rows.Count;
        var flat = new Complex[n * n];
        for (int i = 0; i < n; i++)
        {
            if (rows[i] is null || rows[i].Count != n)
                throw new DreamException("NotSquare", DreamErrorKind.InvalidArgument,
                    $"{what} must be square: row {i} has {rows[i]?.Count ?? 0} entries, expected {n}.");
            for (int j = 0; j < n; j++) flat[i * n + j] = rows[i][j];
        }
        return flat;
    }
}
