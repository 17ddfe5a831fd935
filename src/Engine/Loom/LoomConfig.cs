namespace Dreamwell.Loom;

/// <summary>The shape of a Loom model. Everything else (parameter count, buffer sizes) follows from it.</summary>
public sealed record LoomConfig
{
    public const int MaxDim = 4096, MaxBlocks = 128, MaxHeads = 1024, MaxContext = 8192, MaxVocab = 1 << 20;

    public int VocabSize { get; init; }
    public int Dim { get; init; } = 86;
    public int Blocks { get; init; } = 8;
    public int Heads { get; init; } = 2;
    public int Context { get; init; } = 64;
    /// <summary>Dropout on the two residual branches (attention projection and MLP output) while training.</summary>
    public float Dropout { get; init; }

    public int HeadSize => Dim / Heads;

    public long ParameterCount =>
        (long)VocabSize * Dim + (long)Context * Dim + Blocks * (12L * Dim * Dim + 13L * Dim) + 2L * Dim + (long)Dim * VocabSize;

    public void Validate()
    {
        static void Range(string name, long value, long min, long max)
        {
            if (value < min || value > max)
                throw new DreamException("LoomInvalidConfig", DreamErrorKind.InvalidArgument, $"{name} must be between {min} and {max}; got {value}.");
        }
        Range(nameof(VocabSize), VocabSize, 1, MaxVocab);
        Range(nameof(Dim), Dim, 1, MaxDim);
        Range(nameof(Blocks), Blocks, 1, MaxBlocks);
        Range(nameof(Heads), Heads, 1, MaxHeads);
        Range(nameof(Context), Context, 1, MaxContext);
        if (Dim % Heads != 0)
        {
            var divisors = Enumerable.Range(1, Dim).Where(h => Dim % h == 0);
            throw new DreamException("LoomHeadsMustDivideDim", DreamErrorKind.InvalidArgument,
                $"Heads ({Heads}) must divide Dim ({Dim}); Dim {Dim} allows {string.Join(", ", divisors)}.");
        }
        if (!(Dropout >= 0 && Dropout < 1))
            throw new DreamException("LoomInvalidConfig", DreamErrorKind.InvalidArgument, $"Dropout must be in [0, 1); got {Dropout}.");
        if (ParameterCount > int.MaxValue / 4)
            throw new DreamException("LoomInvalidConfig", DreamErrorKind.LimitExceeded, $"The model would have {ParameterCount} parameters; the limit is {int.MaxValue / 4}.");
    }
}

/// <summary>How to train: optimizer, schedule, batch and budget. Stored in the checkpoint so a resume continues the same run.</summary>
public sealed record LoomTrainingOptions
{
    public int BatchSize { get; init; } = 32;
    public float LearningRate { get; init; } = 2e-3f;
    /// <summary>The floor the cosine schedule decays to, as a fraction of <see cref="LearningRate"/>.</summary>
    public float MinLearningRateFraction { get; init; } = 0.1f;
    public int WarmupSteps { get; init; } = 100;
    /// <summary>Total optimizer steps of the run; the cosine schedule ends here.</summary>
    public int MaxSteps { get; init; } = 2000;
    public float WeightDecay { get; init; } = 0.1f;
    public float Beta1 { get; init; } = 0.9f;
    public float Beta2 { get; init; } = 0.99f;
    public float Epsilon { get; init; } = 1e-8f;
    public float GradientClip { get; init; } = 1.0f;
    public ulong Seed { get; init; } = 1337;
    /// <summary>Fraction of the corpus used for training; the rest is the validation split.</summary>
    public float TrainFraction { get; init; } = 0.9f;
    /// <summary>Evaluate the validation loss every this many steps (and at the end).</summary>
    public int EvalInterval { get; init; } = 200;
    public int EvalBatches { get; init; } = 20;
    /// <summary>0 = all cores.</summary>
    public int Threads { get; init; }

    public void Validate()
    {
        void Fail(string what) => throw new DreamException("LoomInvalidTrainingOptions", DreamErrorKind.InvalidArgument, what);
        if (BatchSize is < 1 or > 4096) Fail($"BatchSize must be between 1 and 4096; got {BatchSize}.");
        if (!(LearningRate > 0 && LearningRate < 10)) Fail($"LearningRate must be in (0, 10); got {LearningRate}.");
        if (WarmupSteps < 0) Fail("WarmupSteps must not be negative.");
        if (MaxSteps < 1) Fail($"MaxSteps must be at least 1; got {MaxSteps}.");
        if (!(TrainFraction > 0 && TrainFraction < 1)) Fail($"TrainFraction must be in (0, 1); got {TrainFraction}.");
        if (EvalInterval < 1 || EvalBatches < 1) Fail("EvalInterval and EvalBatches must be at least 1.");
        if (Threads < 0) Fail("Threads must not be negative.");
    }

    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}
