namespace Dreamwell.Loom;

/// <summary>A validation measurement taken at a step.</summary>
public readonly record struct LoomValidationPoint(int Step, float Loss);

/// <summary>Reported after each training step (and each evaluation).</summary>
public sealed record LoomProgress(int Step, int MaxSteps, float Loss, float? ValidationLoss, double TokensPerSecond, TimeSpan Elapsed, TimeSpan? Remaining);

/// <summary>What a training run did. <see cref="Stopped"/> is true when it was cancelled before MaxSteps.</summary>
public sealed record LoomTrainingResult
{
    public string? Checkpoint { get; init; }
    public int Step { get; init; }
    public int MaxSteps { get; init; }
    public int StepsThisRun { get; init; }
    public float Loss { get; init; }
    public float? ValidationLoss { get; init; }
    public double TokensPerSecond { get; init; }
    public TimeSpan Elapsed { get; init; }
    public long ParameterCount { get; init; }
    public required LoomConfig Config { get; init; }
    public bool Stopped { get; init; }
    public string Backend { get; init; } = "";
}

/// <summary>A summary of a checkpoint file, without the weights.</summary>
public sealed record LoomCheckpointInfo
{
    public required string Path { get; init; }
    public required LoomConfig Config { get; init; }
    public required LoomTrainingOptions Training { get; init; }
    public long ParameterCount { get; init; }
    public int Step { get; init; }
    public int VocabSize { get; init; }
    public string Vocabulary { get; init; } = "";
    public float? Loss { get; init; }
    public float? ValidationLoss { get; init; }
    public required float[] LossHistory { get; init; }
    public required LoomValidationPoint[] ValidationLossHistory { get; init; }
    public long Length { get; init; }
    public string Blake3 { get; init; } = "";
}

/// <summary>Loss of a model on a text.</summary>
public sealed record LoomMeasurement(string Checkpoint, string Corpus, long Characters, long Predictions, double Loss, double BitsPerCharacter, int UnknownCharacters);
