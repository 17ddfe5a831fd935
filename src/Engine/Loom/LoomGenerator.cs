namespace Dreamwell.Loom;

/// <summary>How to sample. Temperature 0 means greedy (always the most likely character).</summary>
public sealed record LoomSamplingOptions
{
    public int MaxTokens { get; init; } = 200;
    public float Temperature { get; init; } = 0.8f;
    /// <summary>0 = no top-k filter.</summary>
    public int TopK { get; init; }
    /// <summary>1 = no nucleus filter.</summary>
    public float TopP { get; init; } = 1f;
    public ulong Seed { get; init; } = 1337;
    public UnknownCharacterPolicy UnknownCharacters { get; init; } = UnknownCharacterPolicy.Error;

    public void Validate()
    {
        void Fail(string what) => throw new DreamException("LoomInvalidSampling", DreamErrorKind.InvalidArgument, what);
        if (MaxTokens is < 0 or > 1_000_000) Fail($"MaxTokens must be between 0 and 1000000; got {MaxTokens}.");
        if (!(Temperature >= 0 && Temperature <= 100)) Fail($"Temperature must be between 0 and 100; got {Temperature}.");
        if (TopK < 0) Fail("TopK must not be negative.");
        if (!(TopP > 0 && TopP <= 1)) Fail($"TopP must be in (0, 1]; got {TopP}.");
    }
}

/// <summary>Samples text from a trained model, one character at a time, streaming each as it is chosen.</summary>
public sealed class LoomGenerator
{
    private readonly LoomModel _model;
    private readonly double[] _probabilities;
    private readonly int[] _order;

    public LoomGenerator(LoomState state, ILoomBackend? backend = null)
    {
        Tokenizer = new CharTokenizer(state.Vocabulary);
        _model = new LoomModel(state.Config, backend ?? new CpuBackend(), maxBatch: 1);
        state.Parameters.CopyTo(_model.Parameters, 0);
        _probabilities = new double[state.Config.VocabSize];
        _order = new int[state.Config.VocabSize];
    }

    public CharTokenizer Tokenizer { get; }
    public LoomConfig Config => _model.Config;

    /// <summary>
    /// Yields generated characters one by one (the prompt itself is not repeated). An empty prompt starts from a
    /// newline when the vocabulary has one, else from the first vocabulary entry.
    /// </summary>
    public IEnumerable<string> Generate(string prompt, LoomSamplingOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var context = new List<int>(Tokenizer.Encode(prompt, options.UnknownCharacters));
        if (context.Count == 0) context.Add(Tokenizer.CodePoints is var cps && cps.Contains('\n') ? Tokenizer.Encode("\n")[0] : 0);
        return Stream(context, options, cancellationToken);
    }

    private IEnumerable<string> Stream(List<int> context, LoomSamplingOptions options, CancellationToken cancellationToken)
    {
        var random = new LoomRandom(options.Seed);
        for (int n = 0; n < options.MaxTokens; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int next = NextToken(context, options, random);
            context.Add(next);
            yield return Tokenizer.DecodeOne(next);
        }
    }

    /// <summary>Log-probabilities of each next character of a text under the model (for Measure-LoomModel).</summary>
    public (double TotalLoss, long Predictions) Score(int[] tokens, CancellationToken cancellationToken = default, IProgress<DreamProgress>? progress = null)
    {
        int c = Config.Context, v = Config.VocabSize;
        double total = 0;
        long predictions = 0;
        // Non-overlapping windows: each character is predicted once, from up to a full context of history.
        for (int start = 0; start + 1 < tokens.Length; start += c)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int t = Math.Min(c, tokens.Length - 1 - start);
            Array.Copy(tokens, start, _model.Tokens, 0, t);
            Array.Copy(tokens, start + 1, _model.Targets, 0, t);
            float mean = _model.Forward(1, t, withTargets: true);
            total += (double)mean * t;
            predictions += t;
            progress?.Report(new DreamProgress("Measuring", $"{predictions} of {tokens.Length - 1} characters", predictions, tokens.Length - 1));
        }
        return (total, predictions);
    }

    private int NextToken(List<int> context, LoomSamplingOptions options, LoomRandom random)
    {
        int c = Config.Context, v = Config.VocabSize;
        int t = Math.Min(c, context.Count);
        context.CopyTo(context.Count - t, _model.Tokens, 0, t);
        _model.Forward(1, t, withTargets: false);
        var logits = _model.Logits.AsSpan((t - 1) * v, v);
        if (options.Temperature == 0)
        {
            int best = 0;
            for (int i = 1; i < v; i++) if (logits[i] > logits[best]) best = i;
            return best;
        }
        double max = double.NegativeInfinity;
        for (int i = 0; i < v; i++) max = Math.Max(max, logits[i]);
        double sum = 0;
        for (int i = 0; i < v; i++) sum += _probabilities[i] = Math.Exp((logits[i] - max) / options.Temperature);
        for (int i = 0; i < v; i++) { _probabilities[i] /= sum; _order[i] = i; }
        // Sort descending by probability (ties by id, so sampling is reproducible).
        Array.Sort(_order, (a, b) => _probabilities[b].CompareTo(_probabilities[a]) is var cmp && cmp != 0 ? cmp : a.CompareTo(b));
        int keep = options.TopK > 0 ? Math.Min(options.TopK, v) : v;
        if (options.TopP < 1)
        {
            double cumulative = 0;
            for (int i = 0; i < keep; i++)
            {
                cumulative += _probabilities[_order[i]];
                if (cumulative >= options.TopP) { keep = i + 1; break; }
            }
        }
        double kept = 0;
        for (int i = 0; i < keep; i++) kept += _probabilities[_order[i]];
        double draw = random.NextDouble() * kept;
        for (int i = 0; i < keep; i++)
        {
            draw -= _probabilities[_order[i]];
            if (draw < 0) return _order[i];
        }
        return _order[keep - 1];
    }
}
