namespace Dreamwell.Loom;

/// <summary>
/// Every numeric kernel the model uses. The model only lays out buffers (flat float arrays with offsets, row-major)
/// and calls these, so a GPU backend (ILGPU) can replace the CPU one without touching model code: it would mirror
/// each array on the device, keyed by reference.
/// Every kernel is deterministic: each output element is produced by one thread in a fixed order, so results do not
/// depend on scheduling (resume is bit-exact).
/// </summary>
public interface ILoomBackend
{
    string Name { get; }

    /// <summary>
    /// C[m,n] = (accumulate ? C : bias ?? 0) + A·B with B row-major [k,n] (leading dimension ldb); bias[n] is added to every row.
    /// A is [m,k] with leading dimension lda, or, when <paramref name="transposeA"/>, stored as [k,m] (leading dimension lda).
    /// </summary>
    void MatMul(float[] a, int aOffset, int lda, bool transposeA, float[] b, int bOffset, int ldb,
        float[] c, int cOffset, int ldc, int m, int k, int n, bool accumulate, float[]? bias = null, int biasOffset = 0);

    /// <summary>dst[cols,rows] = src[rows,cols]ᵀ.</summary>
    void Transpose(float[] src, int srcOffset, int rows, int cols, float[] dst, int dstOffset);

    /// <summary>db[n] += Σ_rows dy[row, n].</summary>
    void ColumnSums(float[] dy, int dyOffset, int rows, int n, float[] db, int dbOffset);

    void LayerNormForward(float[] x, int xOffset, float[] weight, int weightOffset, float[] bias, int biasOffset,
        float[] y, int yOffset, float[] mean, float[] rstd, int statsOffset, int rows, int dim);

    /// <summary>dx += ∂L/∂x; dweight, dbias += their gradients.</summary>
    void LayerNormBackward(float[] dy, int dyOffset, float[] x, int xOffset, float[] weight, int weightOffset,
        float[] mean, float[] rstd, int statsOffset, float[] dx, int dxOffset,
        float[] dweight, int dweightOffset, float[] dbias, int dbiasOffset, int rows, int dim);

    /// <summary>y = GELU(x) (tanh approximation) over n values.</summary>
    void GeluForward(float[] x, int xOffset, float[] y, int yOffset, int n);

    /// <summary>dx = GELU'(x) · dy.</summary>
    void GeluBackward(float[] x, int xOffset, float[] dy, int dyOffset, float[] dx, int dxOffset, int n);

    /// <summary>
    /// Causal multi-head attention. qkv is [batch·t, 3·dim] (q | k | v, heads side by side). Writes out [batch·t, dim],
    /// probs [batch, heads, context, context] (row i: probabilities up to column i, then zeros) and packed
    /// [batch, heads, 4, context, paddedHead] (Q, K, V, Kᵀ) for the backward pass.
    /// </summary>
    void AttentionForward(float[] qkv, int qkvOffset, float[] packed, int packedOffset, float[] probs, int probsOffset,
        float[] output, int outputOffset, int batch, int t, int heads, int dim, int context);

    /// <summary>dqkv = ∂L/∂qkv given dout; scratch holds per-(batch, head) temporaries.</summary>
    void AttentionBackward(float[] dout, int doutOffset, float[] packed, int packedOffset, float[] probs, int probsOffset,
        float[] dqkv, int dqkvOffset, float[] scratch, int batch, int t, int heads, int dim, int context);

    /// <summary>
    /// Softmax cross-entropy over rows of logits [rows, vocab]. Writes per-row losses; when dlogits is not null, writes
    /// (softmax − onehot) · gradScale into it. Returns the mean loss.
    /// </summary>
    float SoftmaxCrossEntropy(float[] logits, int[] targets, float[] losses, float[]? dlogits, float gradScale, int rows, int vocab);

    /// <summary>AdamW over the flat parameter vector, in place. decayMask[i] is 1 where weight decay applies, else 0.</summary>
    void AdamW(float[] parameters, float[] gradients, float[] m, float[] v, float[] decayMask, int count,
        float learningRate, float beta1, float beta2, float epsilon, float weightDecay, float gradScale, int step);

    /// <summary>Σ g² over the first count values (deterministic order).</summary>
    double SumOfSquares(float[] values, int count);

    int PaddedHeadSize(int headSize);

    /// <summary>Floats of scratch one (batch, head) pair needs in <see cref="AttentionBackward"/>.</summary>
    int AttentionScratchPerItem(int headSize, int context);

    /// <summary>output[i] = x[i] + y[i]·(mask?[i] ?? 1) over n values (residual add with optional dropout mask).</summary>
    void ResidualAdd(float[] x, int xOffset, float[] y, int yOffset, float[]? mask, int maskOffset, float[] output, int outputOffset, int n);

    /// <summary>values[offset .. offset+n) = 0.</summary>
    void Clear(float[] values, int offset, int n);

    /// <summary>output[i] = x[i]·mask[i].</summary>
    void Multiply(float[] x, int xOffset, float[] mask, int maskOffset, float[] output, int outputOffset, int n);

    /// <summary>output[b·t + i] = tok[tokens[b·t + i]] + pos[i].</summary>
    void EmbeddingForward(int[] tokens, float[] parameters, int tokOffset, int posOffset, float[] output, int batch, int t, int dim);

    /// <summary>Scatter-adds dout rows into the token and position embedding gradients.</summary>
    void EmbeddingBackward(int[] tokens, float[] dout, float[] gradients, int tokOffset, int posOffset, int batch, int t, int dim);
}
