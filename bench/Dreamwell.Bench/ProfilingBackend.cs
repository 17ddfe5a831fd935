using System.Diagnostics;
using Dreamwell.Loom;

namespace Dreamwell.Bench;

/// <summary>Wraps a backend and accumulates wall time per kernel, to see where a training step goes.</summary>
internal sealed class ProfilingBackend(ILoomBackend inner) : ILoomBackend
{
    public readonly Dictionary<string, (double Ms, long Calls)> Times = new();
    public string Name => inner.Name + " (profiled)";
    public void Clear(float[] values, int offset, int n) { var s = Stopwatch.GetTimestamp(); inner.Clear(values, offset, n); Add("Clear", s); }
    public int PaddedHeadSize(int headSize) => inner.PaddedHeadSize(headSize);
    public int AttentionScratchPerItem(int headSize, int context) => inner.AttentionScratchPerItem(headSize, context);
    private void Add(string name, long start) { var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds; Times[name] = Times.TryGetValue(name, out var t) ? (t.Ms + ms, t.Calls + 1) : (ms, 1); }
    public void MatMul(float[] a, int aOffset, int lda, bool transposeA, float[] b, int bOffset, int ldb, float[] c, int cOffset, int ldc, int m, int k, int n, bool accumulate, float[]? bias = null, int biasOffset = 0) { var s = Stopwatch.GetTimestamp(); inner.MatMul(a, aOffset, lda, transposeA, b, bOffset, ldb, c, cOffset, ldc, m, k, n, accumulate, bias, biasOffset); Add("MatMul", s); }
    public void Transpose(float[] src, int srcOffset, int rows, int cols, float[] dst, int dstOffset) { var s = Stopwatch.GetTimestamp(); inner.Transpose(src, srcOffset, rows, cols, dst, dstOffset); Add("Transpose", s); }
    public void ColumnSums(float[] dy, int dyOffset, int rows, int n, float[] db, int dbOffset) { var s = Stopwatch.GetTimestamp(); inner.ColumnSums(dy, dyOffset, rows, n, db, dbOffset); Add("ColumnSums", s); }
    public void LayerNormForward(float[] x, int xOffset, float[] weight, int weightOffset, float[] bias, int biasOffset, float[] y, int yOffset, float[] mean, float[] rstd, int statsOffset, int rows, int dim) { var s = Stopwatch.GetTimestamp(); inner.LayerNormForward(x, xOffset, weight, weightOffset, bias, biasOffset, y, yOffset, mean, rstd, statsOffset, rows, dim); Add("LayerNormForward", s); }
    public void LayerNormBackward(float[] dy, int dyOffset, float[] x, int xOffset, float[] weight, int weightOffset, float[] mean, float[] rstd, int statsOffset, float[] dx, int dxOffset, float[] dweight, int dweightOffset, float[] dbias, int dbiasOffset, int rows, int dim) { var s = Stopwatch.GetTimestamp(); inner.LayerNormBackward(dy, dyOffset, x, xOffset, weight, weightOffset, mean, rstd, statsOffset, dx, dxOffset, dweight, dweightOffset, dbias, dbiasOffset, rows, dim); Add("LayerNormBackward", s); }
    public void GeluForward(float[] x, int xOffset, float[] y, int yOffset, int n) { var s = Stopwatch.GetTimestamp(); inner.GeluForward(x, xOffset, y, yOffset, n); Add("GeluForward", s); }
    public void GeluBackward(float[] x, int xOffset, float[] dy, int dyOffset, float[] dx, int dxOffset, int n) { var s = Stopwatch.GetTimestamp(); inner.GeluBackward(x, xOffset, dy, dyOffset, dx, dxOffset, n); Add("GeluBackward", s); }
    public void AttentionForward(float[] qkv, int qkvOffset, float[] packed, int packedOffset, float[] probs, int probsOffset, float[] output, int outputOffset, int batch, int t, int heads, int dim, int context) { var s = Stopwatch.GetTimestamp(); inner.AttentionForward(qkv, qkvOffset, packed, packedOffset, probs, probsOffset, output, outputOffset, batch, t, heads, dim, context); Add("AttentionForward", s); }
    public void AttentionBackward(float[] dout, int doutOffset, float[] packed, int packedOffset, float[] probs, int probsOffset, float[] dqkv, int dqkvOffset, float[] scratch, int batch, int t, int heads, int dim, int context) { var s = Stopwatch.GetTimestamp(); inner.AttentionBackward(dout, doutOffset, packed, packedOffset, probs, probsOffset, dqkv, dqkvOffset, scratch, batch, t, heads, dim, context); Add("AttentionBackward", s); }
    public float SoftmaxCrossEntropy(float[] logits, int[] targets, float[] losses, float[]? dlogits, float gradScale, int rows, int vocab) { var s = Stopwatch.GetTimestamp(); var r = inner.SoftmaxCrossEntropy(logits, targets, losses, dlogits, gradScale, rows, vocab); Add("SoftmaxCrossEntropy", s); return r; }
    public void AdamW(float[] parameters, float[] gradients, float[] m, float[] v, float[] decayMask, int count, float learningRate, float beta1, float beta2, float epsilon, float weightDecay, float gradScale, int step) { var s = Stopwatch.GetTimestamp(); inner.AdamW(parameters, gradients, m, v, decayMask, count, learningRate, beta1, beta2, epsilon, weightDecay, gradScale, step); Add("AdamW", s); }
    public double SumOfSquares(float[] values, int count) { var s = Stopwatch.GetTimestamp(); var r = inner.SumOfSquares(values, count); Add("SumOfSquares", s); return r; }
    public void ResidualAdd(float[] x, int xOffset, float[] y, int yOffset, float[]? mask, int maskOffset, float[] output, int outputOffset, int n) { var s = Stopwatch.GetTimestamp(); inner.ResidualAdd(x, xOffset, y, yOffset, mask, maskOffset, output, outputOffset, n); Add("ResidualAdd", s); }
    public void Multiply(float[] x, int xOffset, float[] mask, int maskOffset, float[] output, int outputOffset, int n) { var s = Stopwatch.GetTimestamp(); inner.Multiply(x, xOffset, mask, maskOffset, output, outputOffset, n); Add("Multiply", s); }
    public void EmbeddingForward(int[] tokens, float[] parameters, int tokOffset, int posOffset, float[] output, int batch, int t, int dim) { var s = Stopwatch.GetTimestamp(); inner.EmbeddingForward(tokens, parameters, tokOffset, posOffset, output, batch, t, dim); Add("EmbeddingForward", s); }
    public void EmbeddingBackward(int[] tokens, float[] dout, float[] gradients, int tokOffset, int posOffset, int batch, int t, int dim) { var s = Stopwatch.GetTimestamp(); inner.EmbeddingBackward(tokens, dout, gradients, tokOffset, posOffset, batch, t, dim); Add("EmbeddingBackward", s); }
}
