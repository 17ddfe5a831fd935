namespace Dreamwell.Loom;

/// <summary>What to train: the inputs of Invoke-LoomTrain / `dream loom train`, as plain values.</summary>
public sealed record LoomTrainRequest
{
    public required string Corpus { get; init; }
    public required string Checkpoint { get; init; }
    public LoomConfig Config { get; init; } = new();
    public LoomTrainingOptions Training { get; init; } = new();
    /// <summary>When set, the run length in optimizer steps (overrides Training.MaxSteps; on resume, extends the run).</summary>
    public int? MaxSteps { get; init; }
    /// <summary>When set (and MaxSteps is not), the run length in passes over the training split.</summary>
    public double? Epochs { get; init; }
    /// <summary>Continue from the checkpoint (its config, optimizer state and RNG); MaxSteps/Epochs may extend the run.</summary>
    public bool Resume { get; init; }
    /// <summary>Replace an existing checkpoint with a fresh run.</summary>
    public bool Force { get; init; }
    /// <summary>Also save every this many steps (0 = only at the end or when stopped).</summary>
    public int SaveEvery { get; init; } = 500;
}

/// <summary>
/// Runs a training request end to end: loads the corpus, creates or resumes the trainer, trains, and saves the
/// checkpoint at the end, every SaveEvery steps, and when cancelled (Ctrl+C, Stop-Job).
/// </summary>
public static class LoomSession
{
    public static LoomTrainingResult Train(LoomTrainRequest request, CancellationToken cancellationToken = default,
        IProgress<LoomProgress>? progress = null, Action<string>? log = null)
    {
        string corpus = LoomCorpus.Load(request.Corpus, cancellationToken);
        bool exists = File.Exists(request.Checkpoint);
        LoomTrainer trainer;
        if (request.Resume)
        {
            if (!exists)
                throw new DreamException("LoomCheckpointNotFound", DreamErrorKind.NotFound, $"-Resume needs an existing checkpoint; none at '{request.Checkpoint}'.");
            var state = LoomCheckpoint.Load(request.Checkpoint);
            int? maxSteps = request.MaxSteps ?? (request.Epochs is { } e
                ? LoomTrainer.StepsForEpochs(e, (int)(corpus.Length * (double)state.Training.TrainFraction), state.Training.BatchSize, state.Config.Context)
                : null);
            trainer = LoomTrainer.Resume(state, corpus, maxSteps: maxSteps);
            log?.Invoke($"Resuming at step {trainer.Step} of {trainer.Options.MaxSteps} from {request.Checkpoint}.");
        }
        else
        {
            if (exists && !request.Force)
                throw new DreamException("LoomCheckpointExists", DreamErrorKind.AlreadyExists,
                    $"'{request.Checkpoint}' already exists; use -Resume to continue it or -Force to start over.");
            var training = request.Training;
            if (request.MaxSteps is { } steps) training = training with { MaxSteps = steps };
            else if (request.Epochs is { } epochs)
            {
                int trainChars = (int)(corpus.Length * (double)training.TrainFraction);
                training = training with { MaxSteps = LoomTrainer.StepsForEpochs(epochs, trainChars, training.BatchSize, request.Config.Context) };
            }
            trainer = LoomTrainer.Create(corpus, request.Config, training);
            log?.Invoke($"New model: {trainer.Config.ParameterCount:N0} parameters, vocabulary {trainer.Config.VocabSize}, {trainer.Options.MaxSteps} steps, backend {trainer.Model.Backend.Name}.");
        }

        LoomTrainingResult result;
        int saveEvery = request.SaveEvery;
        while (true)
        {
            int? stopAt = saveEvery > 0 ? Math.Min(trainer.Options.MaxSteps, (trainer.Step / saveEvery + 1) * saveEvery) : null;
            var part = trainer.Train(cancellationToken, progress, stopAt);
            LoomCheckpoint.Save(request.Checkpoint, trainer.Snapshot());
            result = part;
            if (part.Stopped || trainer.Step >= trainer.Options.MaxSteps || cancellationToken.IsCancellationRequested) break;
        }
        log?.Invoke($"Saved step {trainer.Step} to {request.Checkpoint}.");
        return result with
        {
            Checkpoint = Path.GetFullPath(request.Checkpoint),
            Stopped = trainer.Step < trainer.Options.MaxSteps,
        };
    }

    /// <summary>Loss and bits per character of a checkpoint's model on a text.</summary>
    public static LoomMeasurement Measure(string checkpoint, string corpusPath, CancellationToken cancellationToken = default, IProgress<DreamProgress>? progress = null)
    {
        var state = LoomCheckpoint.Load(checkpoint);
        var text = LoomCorpus.Load(corpusPath, cancellationToken);
        var generator = new LoomGenerator(state);
        var runes = text.EnumerateRunes().Count();
        var tokens = generator.Tokenizer.Encode(text, UnknownCharacterPolicy.Skip);
        var (total, predictions) = generator.Score(tokens, cancellationToken, progress);
        if (predictions == 0)
            throw new DreamException("LoomCorpusTooSmall", DreamErrorKind.InvalidArgument, "The text has fewer than two characters the model knows.");
        double loss = total / predictions;
        return new LoomMeasurement(Path.GetFullPath(checkpoint), Path.GetFullPath(corpusPath), runes, predictions, loss, loss / Math.Log(2), runes - tokens.Length);
    }
}
