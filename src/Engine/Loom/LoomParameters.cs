namespace Dreamwell.Loom;

/// <summary>Where each tensor lives in the flat parameter vector (also the order in the checkpoint).</summary>
public sealed class LoomParameters
{
    public sealed record Tensor(string Name, int Offset, int Rows, int Cols, bool Decay)
    {
        public int Length => Rows * Cols;
    }

    public sealed record BlockLayout(Tensor Ln1Weight, Tensor Ln1Bias, Tensor QkvWeight, Tensor QkvBias, Tensor ProjWeight, Tensor ProjBias,
        Tensor Ln2Weight, Tensor Ln2Bias, Tensor FcWeight, Tensor FcBias, Tensor OutWeight, Tensor OutBias);

    private readonly List<Tensor> _all = [];
    private int _next;

    public LoomParameters(LoomConfig config)
    {
        config.Validate();
        int d = config.Dim, v = config.VocabSize;
        TokenEmbedding = Add("tok", v, d, decay: true);
        PositionEmbedding = Add("pos", config.Context, d, decay: true);
        var blocks = new BlockLayout[config.Blocks];
        for (int l = 0; l < config.Blocks; l++)
        {
            string p = $"block{l}.";
            blocks[l] = new BlockLayout(
                Add(p + "ln1.weight", 1, d, false), Add(p + "ln1.bias", 1, d, false),
                Add(p + "qkv.weight", d, 3 * d, true), Add(p + "qkv.bias", 1, 3 * d, false),
                Add(p + "proj.weight", d, d, true), Add(p + "proj.bias", 1, d, false),
                Add(p + "ln2.weight", 1, d, false), Add(p + "ln2.bias", 1, d, false),
                Add(p + "fc.weight", d, 4 * d, true), Add(p + "fc.bias", 1, 4 * d, false),
                Add(p + "out.weight", 4 * d, d, true), Add(p + "out.bias", 1, d, false));
        }
        Blocks = blocks;
        FinalNormWeight = Add("ln.weight", 1, d, false);
        FinalNormBias = Add("ln.bias", 1, d, false);
        Head = Add("head.weight", d, v, true);
        Count = _next;
    }

    public Tensor TokenEmbedding { get; }
    public Tensor PositionEmbedding { get; }
    public IReadOnlyList<BlockLayout> Blocks { get; }
    public Tensor FinalNormWeight { get; }
    public Tensor FinalNormBias { get; }
    /// <summary>Output head stored [dim, vocab] (input-major, like every weight here).</summary>
    public Tensor Head { get; }
    public int Count { get; }
    public IReadOnlyList<Tensor> All => _all;

    private Tensor Add(string name, int rows, int cols, bool decay)
    {
        var t = new Tensor(name, _next, rows, cols, decay);
        _all.Add(t);
        _next += t.Length;
        return t;
    }

    /// <summary>GPT-2 style: weights N(0, 0.02), residual projections scaled by 1/√(2·blocks), biases 0, norms 1.</summary>
    public void Initialize(float[] values, LoomRandom random, int blocks)
    {
        float residualStd = 0.02f / MathF.Sqrt(2f * blocks);
        foreach (var t in _all)
        {
            var span = values.AsSpan(t.Offset, t.Length);
            if (t.Name.EndsWith("ln1.weight") || t.Name.EndsWith("ln2.weight") || t.Name == "ln.weight") span.Fill(1f);
            else if (t.Name.EndsWith(".bias")) span.Clear();
            else
            {
                float std = t.Name.EndsWith("proj.weight") || t.Name.EndsWith("out.weight") ? residualStd : 0.02f;
                for (int i = 0; i < span.Length; i++) span[i] = random.NextGaussian() * std;
            }
        }
    }

    /// <summary>1 for entries weight decay applies to (matrices and embeddings), 0 for biases and norms.</summary>
    public float[] DecayMask()
    {
        var mask = new float[Count];
        foreach (var t in _all) if (t.Decay) mask.AsSpan(t.Offset, t.Length).Fill(1f);
        return mask;
    }
}
