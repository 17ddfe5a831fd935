using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dreamwell.Loom;

/// <summary>Small SIMD building blocks over raw rows (AVX-512 with a scalar tail).</summary>
internal static unsafe class CpuVector
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* x, float* y, int n)
    {
        int i = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), Vector512.Load(y + i), acc);
            sum = Vector512.Sum(acc);
        }
        for (; i < n; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>y += alpha·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float alpha, float* x, float* y, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(alpha);
            for (; i + 16 <= n; i += 16) Vector512.FusedMultiplyAdd(va, Vector512.Load(x + i), Vector512.Load(y + i)).Store(y + i);
        }
        for (; i < n; i++) y[i] += alpha * x[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float* x, int n)
    {
        int i = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16) acc += Vector512.Load(x + i);
            sum = Vector512.Sum(acc);
        }
        for (; i < n; i++) sum += x[i];
        return sum;
    }

    /// <summary>Σ (x[i] − mean)² (two-pass variance: stable for rows with a large mean).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumSquaredDeviation(float* x, int n, float mean)
    {
        int i = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var vm = Vector512.Create(mean);
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16) { var d = Vector512.Load(x + i) - vm; acc = Vector512.FusedMultiplyAdd(d, d, acc); }
            sum = Vector512.Sum(acc);
        }
        for (; i < n; i++) { float d = x[i] - mean; sum += d * d; }
        return sum;
    }

    /// <summary>
    /// e^x in single precision (Cephes exp2f polynomial, relative error ≈ 2e-7), clamped to the normal float range.
    /// The runtime's Vector512.Exp goes through double precision and is several times slower.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87.33f)), Vector512.Create(88.72f));
        var t = x * Vector512.Create(1.44269504088896341f);
        var n = Vector512.Round(t);
        var f = t - n;
        var p = Vector512.Create(1.535336188319500e-4f);
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.339887440266574e-3f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(9.618437357674640e-3f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(5.550332471162809e-2f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(2.402264791363012e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(6.931472028550421e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512<float>.One);
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return p * scale;
    }
}
