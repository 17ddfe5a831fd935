using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dreamwell.Quantum;

/// <summary>
/// A 5×5 Hermitian matrix in "isometric" packed form: the 5 diagonal entries, then for each i &lt; j
/// √2·Re and √2·Im of the (i, j) entry, zero-padded to 28 doubles (7 × 256-bit lanes). With this
/// packing Tr(AB) = pack(A)·pack(B), so purity and ⟨H⟩ are each one 28-term dot product.
/// </summary>
[InlineArray(Length)]
public struct Packed5
{
    public const int Length = 28;
    private double _first;

    public static Packed5 Pack(ReadOnlySpan<Complex> rowMajor)
    {
        if (rowMajor.Length != 25) throw new ArgumentException("Packed5 holds exactly a 5×5 matrix.", nameof(rowMajor));
        var packed = new Packed5();
        for (int i = 0; i < 5; i++) packed[i] = rowMajor[i * 5 + i].Real;
        int slot = 5;
        for (int i = 0; i < 5; i++)
            for (int j = i + 1; j < 5; j++)
            {
                packed[slot++] = Math.Sqrt(2) * rowMajor[i * 5 + j].Real;
                packed[slot++] = Math.Sqrt(2) * rowMajor[i * 5 + j].Imaginary;
            }
        return packed;
    }

    public static Packed5 Pack(DensityMatrix rho)
    {
        if (rho.Dimension != 5) throw new DreamException("DimensionMismatch", DreamErrorKind.InvalidArgument, "The fast health path is for 5×5 states.");
        return Pack(rho.Elements);
    }

    public static Packed5 Pack(Hamiltonian h)
    {
        if (h.Dimension != 5) throw new DreamException("DimensionMismatch", DreamErrorKind.InvalidArgument, "The fast health path is for 5×5 Hamiltonians.");
        return Pack(h.Elements);
    }

    /// <summary>Tr(AB) for Hermitian A, B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TraceProduct(in Packed5 a, in Packed5 b)
    {
        ref double x = ref Unsafe.AsRef(in a[0]);
        ref double y = ref Unsafe.AsRef(in b[0]);
        if (Vector256.IsHardwareAccelerated)
        {
            var acc0 = Vector256.LoadUnsafe(ref x, 0) * Vector256.LoadUnsafe(ref y, 0);
            var acc1 = Vector256.LoadUnsafe(ref x, 4) * Vector256.LoadUnsafe(ref y, 4);
            acc0 += Vector256.LoadUnsafe(ref x, 8) * Vector256.LoadUnsafe(ref y, 8);
            acc1 += Vector256.LoadUnsafe(ref x, 12) * Vector256.LoadUnsafe(ref y, 12);
            acc0 += Vector256.LoadUnsafe(ref x, 16) * Vector256.LoadUnsafe(ref y, 16);
            acc1 += Vector256.LoadUnsafe(ref x, 20) * Vector256.LoadUnsafe(ref y, 20);
            acc0 += Vector256.LoadUnsafe(ref x, 24) * Vector256.LoadUnsafe(ref y, 24);
            return Vector256.Sum(acc0 + acc1);
        }
        double s0 = 0, s1 = 0;
        for (int i = 0; i < Length; i += 2)
        {
            s0 += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
            s1 += Unsafe.Add(ref x, i + 1) * Unsafe.Add(ref y, i + 1);
        }
        return s0 + s1;
    }
}

/// <summary>
/// What the fast health path knows without an eigensolve: ⟨H⟩ and purity exactly, the smallest
/// population exactly, and a rigorous bracket on the entropy (from purity, <see cref="EntropyBounds"/>)
/// and therefore on F = ⟨H⟩ − T·S.
/// </summary>
public readonly record struct HealthBounds(
    double Energy, double Purity, double MinPopulation,
    double EntropyLower, double EntropyUpper,
    double FreeEnergyLower, double FreeEnergyUpper)
{
    /// <summary>Midpoint of the bracket; off from the exact F by at most <see cref="Uncertainty"/>.</summary>
    public double FreeEnergyEstimate => 0.5 * (FreeEnergyLower + FreeEnergyUpper);

    /// <summary>Half the width of the F bracket.</summary>
    public double Uncertainty => 0.5 * (FreeEnergyUpper - FreeEnergyLower);

    /// <summary>True when the whole bracket lies on one side of <paramref name="threshold"/>, so no eigensolve is needed to decide.</summary>
    public bool Decides(double threshold) => FreeEnergyLower > threshold || FreeEnergyUpper <= threshold;
}

/// <summary>The 5×5 health check that needs no eigensolve: two dot products, five compares, two table reads.</summary>
public static class Health5
{
    private static readonly EntropyBounds Bounds5 = EntropyBounds.For(5);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static HealthBounds Check(in Packed5 rho, in Packed5 hamiltonian, double temperature)
    {
        double energy = Packed5.TraceProduct(rho, hamiltonian);
        double purity = Packed5.TraceProduct(rho, rho);
        double minPopulation = Math.Min(Math.Min(Math.Min(rho[0], rho[1]), Math.Min(rho[2], rho[3])), rho[4]);
        var (sLow, sHigh) = Bounds5.Bracket(purity);
        return new HealthBounds(energy, purity, minPopulation, sLow, sHigh,
            energy - temperature * sHigh, energy - temperature * sLow);
    }
}
