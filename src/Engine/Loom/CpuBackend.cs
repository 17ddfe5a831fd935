using System.Runtime.Intrinsics;

namespace Dreamwell.Loom;

/// <summary>The CPU backend: AVX-512 kernels (scalar where unavailable) spread over a fixed number of threads.</summary>
public sealed unsafe class CpuBackend : ILoomBackend
{
    private const float LayerNormEpsilon = 1e-5f;
    private const int CausalBlock = 16;
    private static readonly float GeluScale = MathF.Sqrt(2f / MathF.PI);
    private readonly LoomParallel _parallel;

    public CpuBackend(int threads = 0) => _parallel = new LoomParallel(threads > 0 ? threads : Environment.ProcessorCount);

    public string Name => $"cpu ({(CpuMatMul.Vectorized ? "AVX-512" : "scalar")}, {_parallel.Threads} thread{(_parallel.Threads == 1 ? "" : "s")})";
    public int Threads => _parallel.Threads;

    public int PaddedHeadSize(int headSize) => (headSize + 15) / 16 * 16;

    public void MatMul(float[] a, int aOffset, int lda, bool transposeA, float[] b, int bOffset, int ldb,
        float[] c, int cOffset, int ldc, int m, int k, int n, bool accumulate, float[]? bias = null, int biasOffset = 0)
    {
        int ars = transposeA ? 1 : lda, acs = transposeA ? lda : 1;
        // Enough rows per chunk that a chunk's work dwarfs the scheduling cost.
        int minRows = Math.Max(4, 16384 / Math.Max(1, k * n / 64));
        _parallel.For(m, 4, minRows, (start, end) =>
        {
            fixed (float* pa = a, pb = b, pc = c)
            fixed (float* pbias = bias)
                CpuMatMul.Rows(pa + aOffset, ars, acs, pb + bOffset, ldb, pc + cOffset, ldc, k, n, accumulate, start, end, pbias == null ? null : pbias + biasOffset);
        });
    }

    public void Transpose(float[] src, int srcOffset, int rows, int cols, float[] dst, int dstOffset)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                dst[dstOffset + j * rows + i] = src[srcOffset + i * cols + j];
    }

    public void ColumnSums(float[] dy, int dyOffset, int rows, int n, float[] db, int dbOffset)
    {
        // Parallel over 16-column stripes: each column is summed by one thread in row order (deterministic).
        _parallel.For((n + 15) / 16, 1, 1, (start, end) =>
        {
            fixed (float* pdy = dy, pdb = db)
                for (int stripe = start; stripe < end; stripe++)
                {
                    int j0 = stripe * 16, width = Math.Min(16, n - j0);
                    float* col = pdy + dyOffset + j0, sum = pdb + dbOffset + j0;
                    if (width == 16 && Vector512.IsHardwareAccelerated)
                    {
                        var acc = Vector512.Load(sum);
                        for (int i = 0; i < rows; i++) acc += Vector512.Load(col + (long)i * n);
                        acc.Store(sum);
                    }
                    else
                        for (int i = 0; i < rows; i++)
                            for (int j = 0; j < width; j++) sum[j] += col[(long)i * n + j];
                }
        });
    }

    public void LayerNormForward(float[] x, int xOffset, float[] weight, int weightOffset, float[] bias, int biasOffset,
        float[] y, int yOffset, float[] mean, float[] rstd, int statsOffset, int rows, int dim)
    {
        _parallel.For(rows, 1, 64, (start, end) =>
        {
            fixed (float* px = x, pw = weight, pb = bias, py = y, pm = mean, pr = rstd)
            {
                for (int r = start; r < end; r++)
                {
                    float* xr = px + xOffset + (long)r * dim, yr = py + yOffset + (long)r * dim;
                    float mu = CpuVector.Sum(xr, dim) / dim;
                    float variance = CpuVector.SumSquaredDeviation(xr, dim, mu);
                    float rs = 1f / MathF.Sqrt(variance / dim + LayerNormEpsilon);
                    pm[statsOffset + r] = mu; pr[statsOffset + r] = rs;
                    float* w = pw + weightOffset, bb = pb + biasOffset;
                    int j2 = 0;
                    if (Vector512.IsHardwareAccelerated)
                    {
                        var vmu = Vector512.Create(mu); var vrs = Vector512.Create(rs);
                        for (; j2 + 16 <= dim; j2 += 16)
                            Vector512.FusedMultiplyAdd((Vector512.Load(xr + j2) - vmu) * vrs, Vector512.Load(w + j2), Vector512.Load(bb + j2)).Store(yr + j2);
                    }
                    for (; j2 < dim; j2++) yr[j2] = (xr[j2] - mu) * rs * w[j2] + bb[j2];
                }
            }
        });
    }

    public void LayerNormBackward(float[] dy, int dyOffset, float[] x, int xOffset, float[] weight, int weightOffset,
        float[] mean, float[] rstd, int statsOffset, float[] dx, int dxOffset,
        float[] dweight, int dweightOffset, float[] dbias, int dbiasOffset, int rows, int dim)
    {
        _parallel.For(rows, 1, 64, (start, end) =>
        {
            fixed (float* pdy = dy, px = x, pw = weight, pm = mean, pr = rstd, pdx = dx)
            {
                float* w = pw + weightOffset;
                for (int r = start; r < end; r++)
                {
                    float* dyr = pdy + dyOffset + (long)r * dim, xr = px + xOffset + (long)r * dim, dxr = pdx + dxOffset + (long)r * dim;
                    float mu = pm[statsOffset + r], rs = pr[statsOffset + r];
                    float meanDn = 0, meanDnXhat = 0;
                    int j = 0;
                    if (Vector512.IsHardwareAccelerated && dim >= 16)
                    {
                        var vmu = Vector512.Create(mu); var vrs = Vector512.Create(rs);
                        var accDn = Vector512<float>.Zero; var accDnX = Vector512<float>.Zero;
                        for (; j + 16 <= dim; j += 16)
                        {
                            var dn = Vector512.Load(dyr + j) * Vector512.Load(w + j);
                            accDn += dn;
                            accDnX = Vector512.FusedMultiplyAdd(dn, (Vector512.Load(xr + j) - vmu) * vrs, accDnX);
                        }
                        meanDn = Vector512.Sum(accDn); meanDnXhat = Vector512.Sum(accDnX);
                    }
                    for (; j < dim; j++)
                    {
                        float dn = dyr[j] * w[j];
                        meanDn += dn;
                        meanDnXhat += dn * (xr[j] - mu) * rs;
                    }
                    meanDn /= dim; meanDnXhat /= dim;
                    j = 0;
                    if (Vector512.IsHardwareAccelerated)
                    {
                        var vmu = Vector512.Create(mu); var vrs = Vector512.Create(rs);
                        var vmd = Vector512.Create(meanDn); var vmdx = Vector512.Create(meanDnXhat);
                        for (; j + 16 <= dim; j += 16)
                        {
                            var xhat = (Vector512.Load(xr + j) - vmu) * vrs;
                            var grad = (Vector512.Load(dyr + j) * Vector512.Load(w + j) - vmd - xhat * vmdx) * vrs;
                            (Vector512.Load(dxr + j) + grad).Store(dxr + j);
                        }
                    }
                    for (; j < dim; j++)
                    {
                        float xhat = (xr[j] - mu) * rs;
                        dxr[j] += (dyr[j] * w[j] - meanDn - xhat * meanDnXhat) * rs;
                    }
                }
            }
        });
        // Parameter gradients reduce over rows: each 16-column stripe on one thread, in row order (deterministic).
        _parallel.For((dim + 15) / 16, 1, 1, (start, end) =>
        {
            fixed (float* pdy = dy, px = x, pm = mean, pr = rstd, pdw = dweight, pdb = dbias)
                for (int stripe = start; stripe < end; stripe++)
                {
                    int j0 = stripe * 16, width = Math.Min(16, dim - j0);
                    float* dw = pdw + dweightOffset + j0, db = pdb + dbiasOffset + j0;
                    if (width == 16 && Vector512.IsHardwareAccelerated)
                    {
                        var vdw = Vector512.Load(dw); var vdb = Vector512.Load(db);
                        for (int r = 0; r < rows; r++)
                        {
                            var g = Vector512.Load(pdy + dyOffset + (long)r * dim + j0);
                            var xhat = (Vector512.Load(px + xOffset + (long)r * dim + j0) - Vector512.Create(pm[statsOffset + r])) * Vector512.Create(pr[statsOffset + r]);
                            vdb += g;
                            vdw = Vector512.FusedMultiplyAdd(xhat, g, vdw);
                        }
                        vdw.Store(dw); vdb.Store(db);
                    }
                    else
                        for (int r = 0; r < rows; r++)
                        {
                            float* dyr = pdy + dyOffset + (long)r * dim + j0, xr = px + xOffset + (long)r * dim + j0;
                            float mu = pm[statsOffset + r], rs = pr[statsOffset + r];
                            for (int j = 0; j < width; j++)
                            {
                                db[j] += dyr[j];
                                dw[j] = MathF.FusedMultiplyAdd((xr[j] - mu) * rs, dyr[j], dw[j]);
                            }
                        }
                }
        });
    }

    public void GeluForward(float[] x, int xOffset, float[] y, int yOffset, int n)
    {
        _parallel.For(n, 16, 8192, (start, end) =>
        {
            fixed (float* px = x, py = y)
            {
                float* xs = px + xOffset, ys = py + yOffset;
                int i = start;
                if (Vector512.IsHardwareAccelerated)
                {
                    var half = Vector512.Create(0.5f); var one = Vector512.Create(1f); var s = Vector512.Create(GeluScale); var c = Vector512.Create(0.044715f);
                    for (; i + 16 <= end; i += 16)
                    {
                        var v = Vector512.Load(xs + i);
                        var t = Tanh(s * (v + c * v * v * v), one);
                        (half * v * (one + t)).Store(ys + i);
                    }
                }
                for (; i < end; i++)
                {
                    float v = xs[i];
                    ys[i] = 0.5f * v * (1f + MathF.Tanh(GeluScale * (v + 0.044715f * v * v * v)));
                }
            }
        });
    }

    public void GeluBackward(float[] x, int xOffset, float[] dy, int dyOffset, float[] dx, int dxOffset, int n)
    {
        _parallel.For(n, 16, 8192, (start, end) =>
        {
            fixed (float* px = x, pdy = dy, pdx = dx)
            {
                float* xs = px + xOffset, dys = pdy + dyOffset, dxs = pdx + dxOffset;
                int i = start;
                if (Vector512.IsHardwareAccelerated)
                {
                    var half = Vector512.Create(0.5f); var one = Vector512.Create(1f); var s = Vector512.Create(GeluScale);
                    var c = Vector512.Create(0.044715f); var c3 = Vector512.Create(3 * 0.044715f);
                    for (; i + 16 <= end; i += 16)
                    {
                        var v = Vector512.Load(xs + i);
                        var v2 = v * v;
                        var t = Tanh(s * (v + c * v2 * v), one);
                        var grad = half * (one + t) + half * v * (one - t * t) * s * (one + c3 * v2);
                        (grad * Vector512.Load(dys + i)).Store(dxs + i);
                    }
                }
                for (; i < end; i++)
                {
                    float v = xs[i];
                    float t = MathF.Tanh(GeluScale * (v + 0.044715f * v * v * v));
                    float grad = 0.5f * (1f + t) + 0.5f * v * (1f - t * t) * GeluScale * (1f + 3 * 0.044715f * v * v);
                    dxs[i] = grad * dys[i];
                }
            }
        });
    }

    /// <summary>tanh(u) = 1 − 2/(e^{2u} + 1); saturates correctly at ±∞ without clamping.</summary>
    private static Vector512<float> Tanh(Vector512<float> u, Vector512<float> one) =>
        one - Vector512.Create(2f) / (CpuVector.Exp(u + u) + one);

    public int AttentionScratchPerItem(int headSize, int context) => PaddedHeadSize(headSize) * context + context * context;

    public void AttentionForward(float[] qkv, int qkvOffset, float[] packed, int packedOffset, float[] probs, int probsOffset,
        float[] output, int outputOffset, int batch, int t, int heads, int dim, int context)
    {
        int hs = dim / heads, hp = PaddedHeadSize(hs);
        float scale = 1f / MathF.Sqrt(hs);
        _parallel.For(batch * heads, 1, 1, (start, end) =>
        {
            fixed (float* pqkv = qkv, ppk = packed, ppr = probs, pout = output)
            {
                for (int item = start; item < end; item++)
                {
                    int b = item / heads, h = item % heads;
                    // Per (batch, head): Q, K, V as [t, hp] (zero padded) and Kᵀ as [hp, context], so both products are matmuls.
                    float* q = ppk + packedOffset + (long)item * 4 * context * hp, k = q + context * hp, v = k + context * hp, kT = v + context * hp;
                    for (int i = 0; i < t; i++)
                    {
                        float* row = pqkv + qkvOffset + ((long)b * t + i) * 3 * dim + h * hs;
                        new Span<float>(row, hs).CopyTo(new Span<float>(q + i * hp, hs));
                        new Span<float>(row + dim, hs).CopyTo(new Span<float>(k + i * hp, hs));
                        new Span<float>(row + 2 * dim, hs).CopyTo(new Span<float>(v + i * hp, hs));
                        for (int j = 0; j < hs; j++) kT[j * context + i] = row[dim + j];
                    }
                    float* pr = ppr + probsOffset + (long)item * context * context;
                    // Causal: a block of query rows only needs keys up to its last row.
                    for (int r0 = 0; r0 < t; r0 += CausalBlock)
                    {
                        int r1 = Math.Min(t, r0 + CausalBlock);
                        CpuMatMul.Rows(q, hp, 1, kT, context, pr, context, hs, r1, false, r0, r1);
                    }
                    for (int i = 0; i < t; i++)
                    {
                        float* p = pr + i * context;
                        float max = float.NegativeInfinity;
                        for (int s = 0; s <= i; s++) { p[s] *= scale; if (p[s] > max) max = p[s]; }
                        float inv = 1f / ExpShifted(p, i + 1, max);
                        for (int s = 0; s <= i; s++) p[s] *= inv;
                        new Span<float>(p + i + 1, t - i - 1).Clear(); // causal mask: later positions get probability 0
                    }
                    for (int r0 = 0; r0 < t; r0 += CausalBlock)
                    {
                        int r1 = Math.Min(t, r0 + CausalBlock);
                        CpuMatMul.Rows(pr, context, 1, v, hp, pout + outputOffset + (long)b * t * dim + h * hs, dim, r1, hs, false, r0, r1);
                    }
                }
            }
        });
    }

    public void AttentionBackward(float[] dout, int doutOffset, float[] packed, int packedOffset, float[] probs, int probsOffset,
        float[] dqkv, int dqkvOffset, float[] scratch, int batch, int t, int heads, int dim, int context)
    {
        int hs = dim / heads, hp = PaddedHeadSize(hs);
        float scale = 1f / MathF.Sqrt(hs);
        int perItem = AttentionScratchPerItem(hs, context);
        _parallel.For(batch * heads, 1, 1, (start, end) =>
        {
            fixed (float* pdo = dout, ppk = packed, ppr = probs, pdqkv = dqkv, psc = scratch)
            {
                for (int item = start; item < end; item++)
                {
                    int b = item / heads, h = item % heads;
                    float* q = ppk + packedOffset + (long)item * 4 * context * hp, k = q + context * hp, v = k + context * hp;
                    float* vT = psc + (long)item * perItem, dp = vT + hp * context;
                    float* pr = ppr + probsOffset + (long)item * context * context;
                    float* dO = pdo + doutOffset + (long)b * t * dim + h * hs;
                    float* dRows = pdqkv + dqkvOffset + (long)b * t * 3 * dim + h * hs;
                    for (int i = 0; i < t; i++)
                        for (int j = 0; j < hs; j++) vT[j * context + i] = v[i * hp + j];
                    // Causal blocks: row block [r0, r1) of dP, dQ needs columns < r1; of dV, dK needs rows ≥ r0.
                    for (int r0 = 0; r0 < t; r0 += CausalBlock)
                    {
                        int r1 = Math.Min(t, r0 + CausalBlock);
                        CpuMatMul.Rows(dO, dim, 1, vT, context, dp, context, hs, r1, false, r0, r1);                   // dP = dO·Vᵀ
                        CpuMatMul.Rows(pr + r0 * context, 1, context, dO + (long)r0 * dim, dim, dRows + 2 * dim, 3 * dim, t - r0, hs, false, r0, r1); // dV = Pᵀ·dO
                    }
                    for (int i = 0; i < t; i++)
                    {
                        float* p = pr + i * context, d = dp + i * context;
                        float weighted = 0;
                        for (int s = 0; s <= i; s++) weighted += p[s] * d[s];
                        for (int s = 0; s <= i; s++) d[s] = p[s] * (d[s] - weighted) * scale;
                        new Span<float>(d + i + 1, t - i - 1).Clear();
                    }
                    for (int r0 = 0; r0 < t; r0 += CausalBlock)
                    {
                        int r1 = Math.Min(t, r0 + CausalBlock);
                        CpuMatMul.Rows(dp, context, 1, k, hp, dRows, 3 * dim, r1, hs, false, r0, r1);                                  // dQ = dS·K
                        CpuMatMul.Rows(dp + r0 * context, 1, context, q + r0 * hp, hp, dRows + dim, 3 * dim, t - r0, hs, false, r0, r1); // dK = dSᵀ·Q
                    }
                }
            }
        });
    }

    /// <summary>p[i] = exp(p[i] − max); returns the sum.</summary>
    private static float ExpShifted(float* p, int n, float max)
    {
        int i = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var vm = Vector512.Create(max);
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var e = CpuVector.Exp(Vector512.Load(p + i) - vm);
                e.Store(p + i);
                acc += e;
            }
            sum = Vector512.Sum(acc);
        }
        for (; i < n; i++) { float e = MathF.Exp(p[i] - max); p[i] = e; sum += e; }
        return sum;
    }

    public float SoftmaxCrossEntropy(float[] logits, int[] targets, float[] losses, float[]? dlogits, float gradScale, int rows, int vocab)
    {
        _parallel.For(rows, 1, 64, (start, end) =>
        {
            fixed (float* pl = logits, pls = losses)
            fixed (float* pd = dlogits)
            {
                for (int r = start; r < end; r++)
                {
                    float* row = pl + (long)r * vocab;
                    float max = float.NegativeInfinity;
                    for (int j = 0; j < vocab; j++) if (row[j] > max) max = row[j];
                    float sum = 0;
                    for (int j = 0; j < vocab; j++) sum += MathF.Exp(row[j] - max);
                    int target = targets[r];
                    pls[r] = MathF.Log(sum) - (row[target] - max);
                    if (pd != null)
                    {
                        float* d = pd + (long)r * vocab;
                        float inv = 1f / sum;
                        for (int j = 0; j < vocab; j++) d[j] = MathF.Exp(row[j] - max) * inv * gradScale;
                        d[target] -= gradScale;
                    }
                }
            }
        });
        double total = 0;
        for (int r = 0; r < rows; r++) total += losses[r];
        return (float)(total / rows);
    }

    public void AdamW(float[] parameters, float[] gradients, float[] m, float[] v, float[] decayMask, int count,
        float learningRate, float beta1, float beta2, float epsilon, float weightDecay, float gradScale, int step)
    {
        float correction1 = 1f - MathF.Pow(beta1, step), correction2 = 1f - MathF.Pow(beta2, step);
        float stepSize = learningRate / correction1, invSqrtCorrection2 = 1f / MathF.Sqrt(correction2), decay = learningRate * weightDecay;
        _parallel.For(count, 16, 16384, (start, end) =>
        {
            fixed (float* pp = parameters, pg = gradients, pm = m, pv = v, pd = decayMask)
            {
                int i = start;
                if (Vector512.IsHardwareAccelerated)
                {
                    var vs = Vector512.Create(gradScale); var b1 = Vector512.Create(beta1); var b2 = Vector512.Create(beta2);
                    var ob1 = Vector512.Create(1 - beta1); var ob2 = Vector512.Create(1 - beta2); var eps = Vector512.Create(epsilon);
                    var vstep = Vector512.Create(stepSize); var vc2 = Vector512.Create(invSqrtCorrection2); var vdecay = Vector512.Create(decay);
                    for (; i + 16 <= end; i += 16)
                    {
                        var g = Vector512.Load(pg + i) * vs;
                        var mi = b1 * Vector512.Load(pm + i) + ob1 * g;
                        var vi = b2 * Vector512.Load(pv + i) + ob2 * g * g;
                        mi.Store(pm + i); vi.Store(pv + i);
                        var p = Vector512.Load(pp + i);
                        p = p - vdecay * Vector512.Load(pd + i) * p - vstep * mi / (Vector512.Sqrt(vi) * vc2 + eps);
                        p.Store(pp + i);
                    }
                }
                for (; i < end; i++)
                {
                    float g = pg[i] * gradScale;
                    float mi = pm[i] = beta1 * pm[i] + (1 - beta1) * g;
                    float vi = pv[i] = beta2 * pv[i] + (1 - beta2) * g * g;
                    pp[i] = pp[i] - decay * pd[i] * pp[i] - stepSize * mi / (MathF.Sqrt(vi) * invSqrtCorrection2 + epsilon);
                }
            }
        });
    }

    public double SumOfSquares(float[] values, int count)
    {
        // Fixed 4096-value chunks summed in float, chunks added in order in double: deterministic and fast.
        const int chunk = 4096;
        double total = 0;
        fixed (float* pv = values)
            for (int start = 0; start < count; start += chunk)
            {
                int n = Math.Min(chunk, count - start);
                total += CpuVector.Dot(pv + start, pv + start, n);
            }
        return total;
    }

    public void ResidualAdd(float[] x, int xOffset, float[] y, int yOffset, float[]? mask, int maskOffset, float[] output, int outputOffset, int n)
    {
        fixed (float* px = x, py = y, po = output)
        fixed (float* pm = mask)
        {
            float* xs = px + xOffset, ys = py + yOffset, os = po + outputOffset, ms = pm == null ? null : pm + maskOffset;
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                if (ms == null) for (; i + 16 <= n; i += 16) (Vector512.Load(xs + i) + Vector512.Load(ys + i)).Store(os + i);
                else for (; i + 16 <= n; i += 16) Vector512.FusedMultiplyAdd(Vector512.Load(ys + i), Vector512.Load(ms + i), Vector512.Load(xs + i)).Store(os + i);
            }
            for (; i < n; i++) os[i] = ms == null ? xs[i] + ys[i] : MathF.FusedMultiplyAdd(ys[i], ms[i], xs[i]);
        }
    }

    public void Clear(float[] values, int offset, int n) => Array.Clear(values, offset, n);

    public void Multiply(float[] x, int xOffset, float[] mask, int maskOffset, float[] output, int outputOffset, int n)
    {
        for (int i = 0; i < n; i++) output[outputOffset + i] = x[xOffset + i] * mask[maskOffset + i];
    }

    public void EmbeddingForward(int[] tokens, float[] parameters, int tokOffset, int posOffset, float[] output, int batch, int t, int dim)
    {
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < t; i++)
            {
                int row = b * t + i;
                var tok = parameters.AsSpan(tokOffset + tokens[row] * dim, dim);
                var pos = parameters.AsSpan(posOffset + i * dim, dim);
                var o = output.AsSpan(row * dim, dim);
                for (int j = 0; j < dim; j++) o[j] = tok[j] + pos[j];
            }
    }

    public void EmbeddingBackward(int[] tokens, float[] dout, float[] gradients, int tokOffset, int posOffset, int batch, int t, int dim)
    {
        fixed (float* pd = dout, pg = gradients)
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < t; i++)
                {
                    int row = b * t + i;
                    CpuVector.Axpy(1f, pd + (long)row * dim, pg + tokOffset + tokens[row] * dim, dim);
                    CpuVector.Axpy(1f, pd + (long)row * dim, pg + posOffset + i * dim, dim);
                }
    }
}
