using System.Diagnostics;

namespace Dreamwell.Loom;

/// <summary>
/// Trains a <see cref="LoomModel"/>: batches from the training split, AdamW with warm-up and cosine decay, global-norm
/// clipping, periodic validation loss. Everything random comes from one <see cref="LoomRandom"/> whose state is
/// checkpointed, so a resumed run continues bit-exactly.
/// </summary>
public sealed class LoomTrainer
{
    private const ulong EvaluationSeed = 0x5EEDF00D;
    private readonly int[] _train, _validation;
    private readonly float[] _decayMask;
    private readonly List<float> _lossHistory;
    private readonly List<LoomValidationPoint> _validationHistory;
    private LoomRandom _random;

    private LoomTrainer(LoomState state, CharTokenizer tokenizer, int[] data, ILoomBackend backend)
    {
        Options = state.Training;
        Tokenizer = tokenizer;
        int split = (int)(data.Length * (double)Options.TrainFraction);
        _train = data[..split];
        _validation = data[split..];
        int c = state.Config.Context;
        if (_train.Length < c + 2 || _validation.Length < c + 2)
            throw new DreamException("LoomCorpusTooSmall", DreamErrorKind.InvalidArgument,
                $"The corpus has {data.Length} characters; with context {c} each split needs at least {c + 2} (training {_train.Length}, validation {_validation.Length}).");
        Model = new LoomModel(state.Config, backend, Options.BatchSize);
        state.Parameters.CopyTo(Model.Parameters, 0);
        AdamM = state.AdamM; AdamV = state.AdamV;
        Step = state.Step;
        _random = LoomRandom.FromState(state.RandomState);
        _lossHistory = [.. state.LossHistory];
        _validationHistory = [.. state.ValidationHistory];
        _decayMask = Model.Layout.DecayMask();
    }

    public LoomModel Model { get; }
    public CharTokenizer Tokenizer { get; }
    public LoomTrainingOptions Options { get; }
    public LoomConfig Config => Model.Config;
    public int Step { get; private set; }
    public float[] AdamM { get; }
    public float[] AdamV { get; }
    public IReadOnlyList<float> LossHistory => _lossHistory;
    public IReadOnlyList<LoomValidationPoint> ValidationHistory => _validationHistory;
    public int TrainingCharacters => _train.Length;

    /// <summary>A fresh run: vocabulary from the corpus, weights initialised from the seed.</summary>
    public static LoomTrainer Create(string corpus, LoomConfig config, LoomTrainingOptions options, ILoomBackend? backend = null)
    {
        options.Validate();
        var tokenizer = CharTokenizer.FromText(corpus);
        config = config with { VocabSize = tokenizer.VocabSize };
        config.Validate();
        var layout = new LoomParameters(config);
        var random = new LoomRandom(options.Seed);
        var parameters = new float[layout.Count];
        layout.Initialize(parameters, random, config.Blocks);
        var state = new LoomState(config, options, tokenizer.CodePoints.ToArray(), parameters, new float[layout.Count], new float[layout.Count],
            0, random.State, [], []);
        return new LoomTrainer(state, tokenizer, tokenizer.Encode(corpus), backend ?? new CpuBackend(options.Threads));
    }

    /// <summary>Continues a checkpointed run on a corpus (its characters must be in the checkpoint's vocabulary).</summary>
    public static LoomTrainer Resume(LoomState state, string corpus, ILoomBackend? backend = null, int? maxSteps = null)
    {
        var training = maxSteps is { } steps ? state.Training with { MaxSteps = steps } : state.Training;
        training.Validate();
        var tokenizer = new CharTokenizer(state.Vocabulary);
        int[] data;
        try { data = tokenizer.Encode(corpus); }
        catch (DreamException e) when (e.ErrorId == "LoomUnknownCharacters")
        {
            throw new DreamException("LoomCorpusVocabularyMismatch", DreamErrorKind.InvalidArgument,
                "The corpus has characters the checkpoint's vocabulary lacks; resume with the corpus the run started with. " + e.Message, e);
        }
        return new LoomTrainer(state with { Training = training }, tokenizer, data, backend ?? new CpuBackend(training.Threads));
    }

    public static int StepsForEpochs(double epochs, int trainingCharacters, int batchSize, int context) =>
        (int)Math.Clamp(Math.Ceiling(epochs * trainingCharacters / ((double)batchSize * context)), 1, int.MaxValue);

    public LoomState Snapshot() => new(Config, Options, Tokenizer.CodePoints.ToArray(), (float[])Model.Parameters.Clone(),
        (float[])AdamM.Clone(), (float[])AdamV.Clone(), Step, _random.State, [.. _lossHistory], [.. _validationHistory]);

    public float LearningRateAt(int step)
    {
        var o = Options;
        if (step < o.WarmupSteps) return o.LearningRate * (step + 1) / o.WarmupSteps;
        float min = o.LearningRate * o.MinLearningRateFraction;
        if (step >= o.MaxSteps) return min;
        double progress = (double)(step - o.WarmupSteps) / Math.Max(1, o.MaxSteps - o.WarmupSteps);
        return (float)(min + 0.5 * (1 + Math.Cos(Math.PI * progress)) * (o.LearningRate - min));
    }

    /// <summary>One optimizer step; returns the training loss of its batch.</summary>
    public float TrainStep()
    {
        int b = Options.BatchSize, t = Config.Context;
        FillBatch(_train, _random, b, t);
        Model.Backend.Clear(Model.Gradients, 0, Model.Gradients.Length);
        float loss = Model.Forward(b, t, withTargets: true, training: true, _random);
        Model.Backward();
        var backend = Model.Backend;
        double norm = Math.Sqrt(backend.SumOfSquares(Model.Gradients, Model.Gradients.Length));
        float scale = norm > Options.GradientClip ? (float)(Options.GradientClip / norm) : 1f;
        float lr = LearningRateAt(Step);
        Step++;
        backend.AdamW(Model.Parameters, Model.Gradients, AdamM, AdamV, _decayMask, Model.Parameters.Length,
            lr, Options.Beta1, Options.Beta2, Options.Epsilon, Options.WeightDecay, scale, Step);
        _lossHistory.Add(loss);
        return loss;
    }

    /// <summary>Mean loss over a fixed set of validation batches (same batches every time).</summary>
    public float EvaluateValidation()
    {
        var random = new LoomRandom(EvaluationSeed);
        double total = 0;
        for (int i = 0; i < Options.EvalBatches; i++)
        {
            FillBatch(_validation, random, Options.BatchSize, Config.Context);
            total += Model.Forward(Options.BatchSize, Config.Context, withTargets: true);
        }
        return (float)(total / Options.EvalBatches);
    }

    /// <summary>
    /// Trains until <paramref name="stopAtStep"/> (default: MaxSteps) or cancellation, evaluating every EvalInterval
    /// steps and at the end. Cancellation stops between steps and is not an error: the result says Stopped.
    /// </summary>
    public LoomTrainingResult Train(CancellationToken cancellationToken = default, IProgress<LoomProgress>? progress = null, int? stopAtStep = null)
    {
        int target = Math.Min(stopAtStep ?? Options.MaxSteps, Options.MaxSteps);
        int startStep = Step;
        long tokensPerStep = (long)Options.BatchSize * Config.Context;
        var clock = Stopwatch.StartNew();
        float loss = _lossHistory.Count > 0 ? _lossHistory[^1] : float.NaN;
        float? validation = _validationHistory.Count > 0 ? _validationHistory[^1].Loss : null;
        bool stopped = false;
        while (Step < target)
        {
            if (cancellationToken.IsCancellationRequested) { stopped = true; break; }
            loss = TrainStep();
            bool evaluate = Step % Options.EvalInterval == 0 || Step == target;
            if (evaluate)
            {
                validation = EvaluateValidation();
                _validationHistory.Add(new LoomValidationPoint(Step, validation.Value));
            }
            if (progress is not null)
            {
                double seconds = clock.Elapsed.TotalSeconds;
                double rate = (Step - startStep) * tokensPerStep / Math.Max(seconds, 1e-9);
                TimeSpan? remaining = rate > 0 ? TimeSpan.FromSeconds((Options.MaxSteps - Step) * tokensPerStep / rate) : null; // to the end of the run, not this call
                progress.Report(new LoomProgress(Step, Options.MaxSteps, loss, validation, rate, clock.Elapsed, remaining));
            }
        }
        double elapsed = clock.Elapsed.TotalSeconds;
        return new LoomTrainingResult
        {
            Step = Step,
            MaxSteps = Options.MaxSteps,
            StepsThisRun = Step - startStep,
            Loss = loss,
            ValidationLoss = validation,
            TokensPerSecond = (Step - startStep) * tokensPerStep / Math.Max(elapsed, 1e-9),
            Elapsed = clock.Elapsed,
            ParameterCount = Config.ParameterCount,
            Config = Config,
            Stopped = stopped || Step < Options.MaxSteps && cancellationToken.IsCancellationRequested,
            Backend = Model.Backend.Name,
        };
    }

    private void FillBatch(int[] source, LoomRandom random, int batch, int t)
    {
        var tokens = Model.Tokens;
        var targets = Model.Targets;
        for (int b = 0; b < batch; b++)
        {
            int start = random.NextInt(source.Length - t - 1);
            Array.Copy(source, start, tokens, b * t, t);
            Array.Copy(source, start + 1, targets, b * t, t);
        }
    }
}

/// <summary>Everything a checkpoint holds: enough to resume a run exactly or to generate.</summary>
public sealed record LoomState(
    LoomConfig Config,
    LoomTrainingOptions Training,
    int[] Vocabulary,
    float[] Parameters,
    float[] AdamM,
    float[] AdamV,
    int Step,
    ulong[] RandomState,
    float[] LossHistory,
    LoomValidationPoint[] ValidationHistory);
