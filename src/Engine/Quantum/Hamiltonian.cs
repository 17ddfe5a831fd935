using System.Numerics;

namespace Dreamwell.Quantum;

/// <summary>A Hermitian operator used as an energy function H (for ⟨H⟩ = Tr ρH, free energy and Gibbs states).</summary>
public sealed class Hamiltonian
{
    internal readonly Complex[] Elements;

    private Hamiltonian(Complex[] elements, int n)
    {
        Elements = elements;
        Dimension = n;
    }

    public int Dimension { get; }

    public Complex this[int row, int column] => Elements[row * Dimension + column];

    public static Hamiltonian FromDiagonal(ReadOnlySpan<double> energies)
    {
        if (energies.Length == 0) throw new DreamException("EmptyMatrix", DreamErrorKind.InvalidArgument, "A Hamiltonian needs at least one energy.");
        int n = energies.Length;
        var m = new Complex[n * n];
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(energies[i])) throw new DreamException("NotFinite", DreamErrorKind.InvalidArgument, $"Energy {i} is not a finite number.");
            m[i * n + i] = energies[i];
        }
        return new Hamiltonian(m, n);
    }

    public static Hamiltonian FromMatrix(Complex[,] matrix, double tolerance = DensityMatrix.DefaultTolerance) =>
        FromRowMajor(ComplexMatrix.FromRectangular(matrix, "A Hamiltonian"), matrix.GetLength(0), tolerance);

    public static Hamiltonian FromRows(IReadOnlyList<IReadOnlyList<Complex>> rows, double tolerance = DensityMatrix.DefaultTolerance) =>
        FromRowMajor(ComplexMatrix.FromRows(rows, "A Hamiltonian"), rows.Count, tolerance);

    public static Hamiltonian FromRowMajor(ReadOnlySpan<Complex> elements, int n, double tolerance = DensityMatrix.DefaultTolerance)
    {
        if (n < 1) throw new DreamException("EmptyMatrix", DreamErrorKind.InvalidArgument, "A Hamiltonian needs at least one row.");
        if (n > DensityMatrix.MaxDimension)
            throw new DreamException("DimensionTooLarge", DreamErrorKind.LimitExceeded, $"Dimension {n} exceeds the limit of {DensityMatrix.MaxDimension}.");
        if (elements.Length != n * n) throw new DreamException("NotSquare", DreamErrorKind.InvalidArgument, $"Expected {n * n} entries for a {n}×{n} Hamiltonian, got {elements.Length}.");
        if (!ComplexMatrix.AllFinite(elements)) throw new DreamException("NotFinite", DreamErrorKind.InvalidArgument, "The Hamiltonian has a non-finite entry.");
        double defect = ComplexMatrix.HermitianDefect(elements, n);
        if (defect > tolerance)
            throw new DreamException("NotHermitian", DreamErrorKind.InvalidArgument,
                $"The Hamiltonian is not Hermitian: max |H[i,j] − conj(H[j,i])| = {defect:G3} exceeds the tolerance {tolerance:G3}.");
        var copy = elements.ToArray();
        ComplexMatrix.Hermitize(copy, n);
        return new Hamiltonian(copy, n);
    }

    /// <summary>Eigenvalues of H, ascending (the energy levels).</summary>
    public double[] Levels()
    {
        var values = new double[Dimension];
        HermitianEigen.Eigenvalues(Elements, Dimension, values);
        return values;
    }

    internal void RequireDimension(int n)
    {
        if (n != Dimension)
            throw new DreamException("DimensionMismatch", DreamErrorKind.InvalidArgument, $"The Hamiltonian is {Dimension}×{Dimension} but the density matrix is {n}×{n}.");
    }
}
