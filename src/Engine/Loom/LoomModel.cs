namespace Dreamwell.Loom;

/// <summary>
/// Decoder-only transformer with hand-written forward and backward passes. Owns the parameters, their gradients and
/// every activation buffer for a fixed maximum batch, allocated once: a training step allocates no tensors.
/// All arithmetic goes through <see cref="ILoomBackend"/>.
/// </summary>
public sealed class LoomModel
{
    private readonly ILoomBackend _backend;
    private readonly int _maxBatch, _d, _v, _l, _c, _hp, _rows;
    private readonly float[] _resid, _ln1, _ln1Mean, _ln1Rstd, _qkv, _packed, _probs, _att, _mid, _ln2, _ln2Mean, _ln2Rstd, _fc, _gelu;
    private readonly float[] _lnf, _lnfMean, _lnfRstd, _logits, _dlogits, _losses, _branch;
    private readonly float[]? _dropMask;
    private readonly float[] _dResid, _dTmp, _dBranch, _dAtt, _dQkv, _dFc, _dGelu, _attnScratch, _weightT;
    private readonly int[] _tokens, _targets;
    private int _lastBatch, _lastT;
    private bool _lastTraining;

    public LoomModel(LoomConfig config, ILoomBackend backend, int maxBatch)
    {
        config.Validate();
        Config = config;
        Layout = new LoomParameters(config);
        _backend = backend;
        _maxBatch = maxBatch;
        _d = config.Dim; _v = config.VocabSize; _l = config.Blocks; _c = config.Context;
        _hp = backend.PaddedHeadSize(config.HeadSize);
        _rows = maxBatch * _c;
        long md = (long)_rows * _d;
        if (md * _l * 16 > int.MaxValue)
            throw new DreamException("LoomBatchTooLarge", DreamErrorKind.LimitExceeded, "Batch × context × dim × blocks is too large for one process.");
        Parameters = new float[Layout.Count];
        Gradients = new float[Layout.Count];
        int rd = _rows * _d, heads = config.Heads;
        _resid = new float[(_l + 1) * rd];
        _ln1 = new float[_l * rd]; _ln1Mean = new float[_l * _rows]; _ln1Rstd = new float[_l * _rows];
        _qkv = new float[_l * rd * 3];
        _packed = new float[_l * maxBatch * heads * 4 * _c * _hp];
        _probs = new float[(long)_l * maxBatch * heads * _c * _c];
        _att = new float[_l * rd]; _mid = new float[_l * rd];
        _ln2 = new float[_l * rd]; _ln2Mean = new float[_l * _rows]; _ln2Rstd = new float[_l * _rows];
        _fc = new float[_l * rd * 4]; _gelu = new float[_l * rd * 4];
        _lnf = new float[rd]; _lnfMean = new float[_rows]; _lnfRstd = new float[_rows];
        _logits = new float[_rows * _v]; _dlogits = new float[_rows * _v]; _losses = new float[_rows];
        _branch = new float[rd];
        if (config.Dropout > 0) _dropMask = new float[2 * _l * rd];
        _dResid = new float[rd]; _dTmp = new float[rd]; _dBranch = new float[rd]; _dAtt = new float[rd];
        _dQkv = new float[rd * 3]; _dFc = new float[rd * 4]; _dGelu = new float[rd * 4];
        _attnScratch = new float[maxBatch * heads * backend.AttentionScratchPerItem(config.HeadSize, _c)];
        _weightT = new float[Math.Max(4 * _d * _d, _d * _v)];
        _tokens = new int[_rows]; _targets = new int[_rows];
    }

    public LoomConfig Config { get; }
    public LoomParameters Layout { get; }
    public float[] Parameters { get; }
    public float[] Gradients { get; }
    public int MaxBatch => _maxBatch;
    public ILoomBackend Backend => _backend;

    /// <summary>Input buffer: the caller writes batch·t token ids here before <see cref="Forward"/>.</summary>
    public int[] Tokens => _tokens;
    /// <summary>Target buffer: the next-token ids, same layout as <see cref="Tokens"/>.</summary>
    public int[] Targets => _targets;
    /// <summary>Logits [batch·t, vocab] of the last forward pass.</summary>
    public float[] Logits => _logits;

    /// <summary>
    /// Runs the model on <see cref="Tokens"/> (batch × t). With targets, returns the mean cross-entropy loss and prepares
    /// the backward pass; without, returns NaN and only fills <see cref="Logits"/>.
    /// </summary>
    public float Forward(int batch, int t, bool withTargets, bool training = false, LoomRandom? dropoutRandom = null)
    {
        if (batch < 1 || batch > _maxBatch || t < 1 || t > _c)
            throw new DreamException("LoomInvalidShape", DreamErrorKind.InvalidArgument, $"Batch {batch} × length {t} exceeds the model's {_maxBatch} × {_c}.");
        var b = _backend;
        int m = batch * t, md = m * _d, rd = _rows * _d, rows = _rows;
        var p = Parameters;
        bool dropout = training && _dropMask is not null;
        if (dropout) FillDropoutMasks(md, dropoutRandom ?? throw new ArgumentNullException(nameof(dropoutRandom)));
        b.EmbeddingForward(_tokens, p, Layout.TokenEmbedding.Offset, Layout.PositionEmbedding.Offset, _resid, batch, t, _d);
        for (int l = 0; l < _l; l++)
        {
            var w = Layout.Blocks[l];
            int x = l * rd, s = l * rows;
            b.LayerNormForward(_resid, x, p, w.Ln1Weight.Offset, p, w.Ln1Bias.Offset, _ln1, x, _ln1Mean, _ln1Rstd, s, m, _d);
            b.MatMul(_ln1, x, _d, false, p, w.QkvWeight.Offset, 3 * _d, _qkv, 3 * x, 3 * _d, m, _d, 3 * _d, accumulate: false, p, w.QkvBias.Offset);
            b.AttentionForward(_qkv, 3 * x, _packed, l * _maxBatch * Config.Heads * 4 * _c * _hp, _probs, l * _maxBatch * Config.Heads * _c * _c,
                _att, x, batch, t, Config.Heads, _d, _c);
            b.MatMul(_att, x, _d, false, p, w.ProjWeight.Offset, _d, _branch, 0, _d, m, _d, _d, accumulate: false, p, w.ProjBias.Offset);
            b.ResidualAdd(_resid, x, _branch, 0, dropout ? _dropMask : null, 2 * x, _mid, x, md);
            b.LayerNormForward(_mid, x, p, w.Ln2Weight.Offset, p, w.Ln2Bias.Offset, _ln2, x, _ln2Mean, _ln2Rstd, s, m, _d);
            b.MatMul(_ln2, x, _d, false, p, w.FcWeight.Offset, 4 * _d, _fc, 4 * x, 4 * _d, m, _d, 4 * _d, accumulate: false, p, w.FcBias.Offset);
            b.GeluForward(_fc, 4 * x, _gelu, 4 * x, 4 * md);
            b.MatMul(_gelu, 4 * x, 4 * _d, false, p, w.OutWeight.Offset, _d, _branch, 0, _d, m, 4 * _d, _d, accumulate: false, p, w.OutBias.Offset);
            b.ResidualAdd(_mid, x, _branch, 0, dropout ? _dropMask : null, 2 * x + rd, _resid, x + rd, md);
        }
        int last = _l * rd;
        b.LayerNormForward(_resid, last, p, Layout.FinalNormWeight.Offset, p, Layout.FinalNormBias.Offset, _lnf, 0, _lnfMean, _lnfRstd, 0, m, _d);
        b.MatMul(_lnf, 0, _d, false, p, Layout.Head.Offset, _v, _logits, 0, _v, m, _d, _v, accumulate: false);
        _lastBatch = batch; _lastT = t; _lastTraining = dropout;
        if (!withTargets) return float.NaN;
        return b.SoftmaxCrossEntropy(_logits, _targets, _losses, _dlogits, 1f / m, m, _v);
    }

    /// <summary>Adds ∂loss/∂parameters of the last forward pass (which must have had targets) into <see cref="Gradients"/>.</summary>
    public void Backward()
    {
        var b = _backend;
        int batch = _lastBatch, t = _lastT, m = batch * t, md = m * _d, rd = _rows * _d, rows = _rows;
        var p = Parameters;
        var g = Gradients;
        var mask = _lastTraining ? _dropMask : null;
        // Output head and final norm.
        b.MatMul(_lnf, 0, _d, true, _dlogits, 0, _v, g, Layout.Head.Offset, _v, _d, m, _v, accumulate: true);
        b.Transpose(p, Layout.Head.Offset, _d, _v, _weightT, 0);
        b.MatMul(_dlogits, 0, _v, false, _weightT, 0, _d, _dTmp, 0, _d, m, _v, _d, accumulate: false);
        b.Clear(_dResid, 0, md);
        b.LayerNormBackward(_dTmp, 0, _resid, _l * rd, p, Layout.FinalNormWeight.Offset, _lnfMean, _lnfRstd, 0, _dResid, 0,
            g, Layout.FinalNormWeight.Offset, g, Layout.FinalNormBias.Offset, m, _d);
        for (int l = _l - 1; l >= 0; l--)
        {
            var w = Layout.Blocks[l];
            int x = l * rd, s = l * rows;
            // MLP branch: resid[l+1] = mid + drop(out(gelu(fc(ln2(mid))))).
            float[] dy = _dResid;
            if (mask is not null) { b.Multiply(_dResid, 0, mask, 2 * x + rd, _dBranch, 0, md); dy = _dBranch; }
            b.MatMul(_gelu, 4 * x, 4 * _d, true, dy, 0, _d, g, w.OutWeight.Offset, _d, 4 * _d, m, _d, accumulate: true);
            b.ColumnSums(dy, 0, m, _d, g, w.OutBias.Offset);
            b.Transpose(p, w.OutWeight.Offset, 4 * _d, _d, _weightT, 0);
            b.MatMul(dy, 0, _d, false, _weightT, 0, 4 * _d, _dGelu, 0, 4 * _d, m, _d, 4 * _d, accumulate: false);
            b.GeluBackward(_fc, 4 * x, _dGelu, 0, _dFc, 0, 4 * md);
            b.MatMul(_ln2, x, _d, true, _dFc, 0, 4 * _d, g, w.FcWeight.Offset, 4 * _d, _d, m, 4 * _d, accumulate: true);
            b.ColumnSums(_dFc, 0, m, 4 * _d, g, w.FcBias.Offset);
            b.Transpose(p, w.FcWeight.Offset, _d, 4 * _d, _weightT, 0);
            b.MatMul(_dFc, 0, 4 * _d, false, _weightT, 0, _d, _dTmp, 0, _d, m, 4 * _d, _d, accumulate: false);
            b.LayerNormBackward(_dTmp, 0, _mid, x, p, w.Ln2Weight.Offset, _ln2Mean, _ln2Rstd, s, _dResid, 0,
                g, w.Ln2Weight.Offset, g, w.Ln2Bias.Offset, m, _d);
            // Attention branch: mid = resid[l] + drop(proj(attention(qkv(ln1(resid[l]))))).
            dy = _dResid;
            if (mask is not null) { b.Multiply(_dResid, 0, mask, 2 * x, _dBranch, 0, md); dy = _dBranch; }
            b.MatMul(_att, x, _d, true, dy, 0, _d, g, w.ProjWeight.Offset, _d, _d, m, _d, accumulate: true);
            b.ColumnSums(dy, 0, m, _d, g, w.ProjBias.Offset);
            b.Transpose(p, w.ProjWeight.Offset, _d, _d, _weightT, 0);
            b.MatMul(dy, 0, _d, false, _weightT, 0, _d, _dAtt, 0, _d, m, _d, _d, accumulate: false);
            b.AttentionBackward(_dAtt, 0, _packed, l * _maxBatch * Config.Heads * 4 * _c * _hp, _probs, l * _maxBatch * Config.Heads * _c * _c,
                _dQkv, 0, _attnScratch, batch, t, Config.Heads, _d, _c);
            b.MatMul(_ln1, x, _d, true, _dQkv, 0, 3 * _d, g, w.QkvWeight.Offset, 3 * _d, _d, m, 3 * _d, accumulate: true);
            b.ColumnSums(_dQkv, 0, m, 3 * _d, g, w.QkvBias.Offset);
            b.Transpose(p, w.QkvWeight.Offset, _d, 3 * _d, _weightT, 0);
            b.MatMul(_dQkv, 0, 3 * _d, false, _weightT, 0, _d, _dTmp, 0, _d, m, 3 * _d, _d, accumulate: false);
            b.LayerNormBackward(_dTmp, 0, _resid, x, p, w.Ln1Weight.Offset, _ln1Mean, _ln1Rstd, s, _dResid, 0,
                g, w.Ln1Weight.Offset, g, w.Ln1Bias.Offset, m, _d);
        }
        b.EmbeddingBackward(_tokens, _dResid, g, Layout.TokenEmbedding.Offset, Layout.PositionEmbedding.Offset, batch, t, _d);
    }

    private void FillDropoutMasks(int md, LoomRandom random)
    {
        float keep = 1f - Config.Dropout, scale = 1f / keep;
        int rd = _rows * _d;
        for (int k = 0; k < 2 * _l; k++)
        {
            var span = _dropMask!.AsSpan(k * rd, md);
            for (int i = 0; i < span.Length; i++) span[i] = random.NextFloat() < keep ? scale : 0f;
        }
    }
}
