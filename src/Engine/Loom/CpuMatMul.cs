using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dreamwell.Loom;

/// <summary>
/// Cache-blocked, register-blocked SIMD matrix multiply: C (+)= A·B, row-major.
/// The micro-kernel keeps a 4-row × 64-column tile of C in 16 AVX-512 registers and streams a K-block of B
/// (128 × 64 floats = 32 KiB, sized for L1) per panel. A is addressed through two strides, so Aᵀ (the weight-gradient
/// case Xᵀ·dY) needs no transpose copy. A ragged last column block is done with an overlapping, masked vector, so
/// widths like 86 or 258 stay fully vectorized. Falls back to scalar code where AVX-512 is not available.
/// </summary>
internal static unsafe class CpuMatMul
{
    private const int RowBlock = 4, PanelWidth = 64, KBlock = 128, Lanes = 16;

    public static bool Vectorized => Vector512.IsHardwareAccelerated;

    /// <summary>Rows [rowStart, rowEnd) of C. A(i,kk) = a[i·aRowStride + kk·aColStride].</summary>
    /// <summary>Rows [rowStart, rowEnd) of C. A(i,kk) = a[i·aRowStride + kk·aColStride]. Without accumulate, C starts from bias (or 0).</summary>
    public static void Rows(float* a, int aRowStride, int aColStride, float* b, int ldb, float* c, int ldc,
        int k, int n, bool accumulate, int rowStart, int rowEnd, float* bias = null)
    {
        if (!Vectorized || n < Lanes || k == 0)
        {
            Scalar(a, aRowStride, aColStride, b, ldb, c, ldc, k, n, accumulate, rowStart, rowEnd, bias);
            return;
        }
        for (int j0 = 0; j0 < n; j0 += PanelWidth)
        {
            int width = Math.Min(PanelWidth, n - j0);
            for (int k0 = 0; k0 < k; k0 += KBlock)
            {
                int kw = Math.Min(KBlock, k - k0);
                bool acc = accumulate || k0 > 0;
                float* bBlock = b + (long)k0 * ldb + j0;
                float* biasBlock = acc || bias == null ? null : bias + j0;
                int i = rowStart;
                for (; i + RowBlock <= rowEnd; i += RowBlock)
                    Panel4(a + (long)i * aRowStride + (long)k0 * aColStride, aRowStride, aColStride, bBlock, ldb, c + (long)i * ldc + j0, ldc, kw, width, acc, biasBlock);
                for (; i < rowEnd; i++)
                    Panel1(a + (long)i * aRowStride + (long)k0 * aColStride, aColStride, bBlock, ldb, c + (long)i * ldc + j0, kw, width, acc, biasBlock);
            }
        }
    }

    private static void Panel4(float* a, int ars, int acs, float* b, int ldb, float* c, int ldc, int kw, int width, bool acc, float* bias)
    {
        if (width == PanelWidth) { Kernel4x64(a, ars, acs, b, ldb, c, ldc, kw, acc, bias); return; }
        int j = 0;
        for (; j + Lanes <= width; j += Lanes)
            Kernel4x16(a, ars, acs, b + j, ldb, c + j, ldc, kw, acc, Vector512<float>.AllBitsSet, bias == null ? null : bias + j);
        int rest = width - j;
        if (rest > 0)
            Kernel4x16(a, ars, acs, b + width - Lanes, ldb, c + width - Lanes, ldc, kw, acc, TailMask(rest), bias == null ? null : bias + width - Lanes);
    }

    private static void Panel1(float* a, int acs, float* b, int ldb, float* c, int kw, int width, bool acc, float* bias)
    {
        int j = 0;
        for (; j + Lanes <= width; j += Lanes)
            Kernel1x16(a, acs, b + j, ldb, c + j, kw, acc, Vector512<float>.AllBitsSet, bias == null ? null : bias + j);
        int rest = width - j;
        if (rest > 0)
            Kernel1x16(a, acs, b + width - Lanes, ldb, c + width - Lanes, kw, acc, TailMask(rest), bias == null ? null : bias + width - Lanes);
    }

    /// <summary>The last <paramref name="rest"/> lanes set: the overlapping vector only adds into new columns.</summary>
    private static Vector512<float> TailMask(int rest)
    {
        var lane = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        return Vector512.GreaterThanOrEqual(lane, Vector512.Create(Lanes - rest)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(Vector512<float> x, Vector512<float> y, Vector512<float> acc) => Vector512.FusedMultiplyAdd(x, y, acc);

    private static void Kernel4x64(float* a, int ars, int acs, float* b, int ldb, float* c, int ldc, int kw, bool acc, float* bias)
    {
        Vector512<float> c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
        float* r0 = c, r1 = c + ldc, r2 = c + 2 * ldc, r3 = c + 3 * ldc;
        if (acc)
        {
            c00 = Vector512.Load(r0); c01 = Vector512.Load(r0 + 16); c02 = Vector512.Load(r0 + 32); c03 = Vector512.Load(r0 + 48);
            c10 = Vector512.Load(r1); c11 = Vector512.Load(r1 + 16); c12 = Vector512.Load(r1 + 32); c13 = Vector512.Load(r1 + 48);
            c20 = Vector512.Load(r2); c21 = Vector512.Load(r2 + 16); c22 = Vector512.Load(r2 + 32); c23 = Vector512.Load(r2 + 48);
            c30 = Vector512.Load(r3); c31 = Vector512.Load(r3 + 16); c32 = Vector512.Load(r3 + 32); c33 = Vector512.Load(r3 + 48);
        }
        else if (bias != null)
        {
            c00 = c10 = c20 = c30 = Vector512.Load(bias); c01 = c11 = c21 = c31 = Vector512.Load(bias + 16);
            c02 = c12 = c22 = c32 = Vector512.Load(bias + 32); c03 = c13 = c23 = c33 = Vector512.Load(bias + 48);
        }
        else
        {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = Vector512<float>.Zero;
        }
        float* a0 = a, a1 = a + ars, a2 = a + 2 * ars, a3 = a + 3 * ars;
        for (int kk = 0; kk < kw; kk++)
        {
            var b0 = Vector512.Load(b); var b1 = Vector512.Load(b + 16); var b2 = Vector512.Load(b + 32); var b3 = Vector512.Load(b + 48);
            var x = Vector512.Create(*a0);
            c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01); c02 = Fma(x, b2, c02); c03 = Fma(x, b3, c03);
            x = Vector512.Create(*a1);
            c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11); c12 = Fma(x, b2, c12); c13 = Fma(x, b3, c13);
            x = Vector512.Create(*a2);
            c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21); c22 = Fma(x, b2, c22); c23 = Fma(x, b3, c23);
            x = Vector512.Create(*a3);
            c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31); c32 = Fma(x, b2, c32); c33 = Fma(x, b3, c33);
            a0 += acs; a1 += acs; a2 += acs; a3 += acs; b += ldb;
        }
        c00.Store(r0); c01.Store(r0 + 16); c02.Store(r0 + 32); c03.Store(r0 + 48);
        c10.Store(r1); c11.Store(r1 + 16); c12.Store(r1 + 32); c13.Store(r1 + 48);
        c20.Store(r2); c21.Store(r2 + 16); c22.Store(r2 + 32); c23.Store(r2 + 48);
        c30.Store(r3); c31.Store(r3 + 16); c32.Store(r3 + 32); c33.Store(r3 + 48);
    }

    /// <summary>
    /// 4 rows × 16 columns. With a partial mask the B lanes outside the mask are zeroed, and (when not accumulating)
    /// the C lanes outside the mask keep their value, so an overlapping store rewrites them unchanged.
    /// </summary>
    private static void Kernel4x16(float* a, int ars, int acs, float* b, int ldb, float* c, int ldc, int kw, bool acc, Vector512<float> mask, float* bias)
    {
        float* r0 = c, r1 = c + ldc, r2 = c + 2 * ldc, r3 = c + 3 * ldc;
        var keep = acc ? Vector512<float>.AllBitsSet : ~mask;
        var start = bias == null ? Vector512<float>.Zero : Vector512.Load(bias) & mask;
        var c0 = (Vector512.Load(r0) & keep) + start; var c1 = (Vector512.Load(r1) & keep) + start;
        var c2 = (Vector512.Load(r2) & keep) + start; var c3 = (Vector512.Load(r3) & keep) + start;
        float* a0 = a, a1 = a + ars, a2 = a + 2 * ars, a3 = a + 3 * ars;
        for (int kk = 0; kk < kw; kk++)
        {
            var bv = Vector512.Load(b) & mask;
            c0 = Fma(Vector512.Create(*a0), bv, c0); c1 = Fma(Vector512.Create(*a1), bv, c1);
            c2 = Fma(Vector512.Create(*a2), bv, c2); c3 = Fma(Vector512.Create(*a3), bv, c3);
            a0 += acs; a1 += acs; a2 += acs; a3 += acs; b += ldb;
        }
        c0.Store(r0); c1.Store(r1); c2.Store(r2); c3.Store(r3);
    }

    private static void Kernel1x16(float* a, int acs, float* b, int ldb, float* c, int kw, bool acc, Vector512<float> mask, float* bias)
    {
        var keep = acc ? Vector512<float>.AllBitsSet : ~mask;
        var c0 = (Vector512.Load(c) & keep) + (bias == null ? Vector512<float>.Zero : Vector512.Load(bias) & mask);
        for (int kk = 0; kk < kw; kk++)
        {
            c0 = Fma(Vector512.Create(*a), Vector512.Load(b) & mask, c0);
            a += acs; b += ldb;
        }
        c0.Store(c);
    }

    private static void Scalar(float* a, int ars, int acs, float* b, int ldb, float* c, int ldc, int k, int n, bool accumulate, int rowStart, int rowEnd, float* bias)
    {
        for (int i = rowStart; i < rowEnd; i++)
        {
            float* ci = c + (long)i * ldc;
            if (!accumulate)
            {
                if (bias == null) new Span<float>(ci, n).Clear();
                else new Span<float>(bias, n).CopyTo(new Span<float>(ci, n));
            }
            float* ai = a + (long)i * ars;
            for (int kk = 0; kk < k; kk++)
            {
                float x = ai[(long)kk * acs];
                float* bk = b + (long)kk * ldb;
                for (int j = 0; j < n; j++) ci[j] = MathF.FusedMultiplyAdd(x, bk[j], ci[j]);
            }
        }
    }
}
