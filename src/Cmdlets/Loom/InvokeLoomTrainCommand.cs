using System.Management.Automation;
using Dreamwell.Loom;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Trains a character-level Loom model on a text file or folder. In the foreground it shows progress and returns a
/// LoomTrainingResult (Ctrl+C saves a checkpoint first); with -AsJob it returns a job (Stop-Job saves too).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "LoomTrain", SupportsShouldProcess = true)]
[OutputType(typeof(LoomTrainingResult), typeof(DreamJob))]
public sealed class InvokeLoomTrainCommand : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    [Parameter(Mandatory = true, Position = 0)] public string Corpus { get; set; } = "";
    [Parameter(Mandatory = true, Position = 1)] public string Checkpoint { get; set; } = "";
    [Parameter] [ValidateRange(1, LoomConfig.MaxDim)] public int Dim { get; set; } = 86;
    [Parameter] [ValidateRange(1, LoomConfig.MaxBlocks)] public int Blocks { get; set; } = 8;
    [Parameter] [ValidateRange(1, LoomConfig.MaxHeads)] public int Heads { get; set; } = 2;
    [Parameter] [ValidateRange(1, LoomConfig.MaxContext)] public int Context { get; set; } = 64;
    [Parameter] [ValidateRange(0.0, 0.99)] public float Dropout { get; set; }
    [Parameter] [ValidateRange(0.001, 1_000_000.0)] public double Epochs { get; set; }
    [Parameter] [ValidateRange(1, int.MaxValue)] public int MaxSteps { get; set; }
    [Parameter] [ValidateRange(1e-6, 1.0)] public float LearningRate { get; set; } = 2e-3f;
    [Parameter] [ValidateRange(1, 4096)] public int BatchSize { get; set; } = 32;
    [Parameter] [ValidateRange(0, 100_000)] public int WarmupSteps { get; set; } = 100;
    [Parameter] public ulong Seed { get; set; } = 1337;
    [Parameter] [ValidateRange(0, 1024)] public int Threads { get; set; }
    [Parameter] [ValidateRange(1, int.MaxValue)] public int EvalInterval { get; set; } = 200;
    [Parameter] [ValidateRange(0, int.MaxValue)] public int SaveEvery { get; set; } = 500;
    [Parameter] public SwitchParameter Resume { get; set; }
    [Parameter] public SwitchParameter Force { get; set; }
    [Parameter] public SwitchParameter AsJob { get; set; }
    [Parameter] public string? JobName { get; set; }

    protected override void EndProcessing()
    {
        var request = new LoomTrainRequest
        {
            Corpus = GetUnresolvedProviderPathFromPSPath(Corpus),
            Checkpoint = GetUnresolvedProviderPathFromPSPath(Checkpoint),
            Config = new LoomConfig { Dim = Dim, Blocks = Blocks, Heads = Heads, Context = Context, Dropout = Dropout },
            Training = new LoomTrainingOptions
            {
                BatchSize = BatchSize, LearningRate = LearningRate, WarmupSteps = WarmupSteps, Seed = Seed, Threads = Threads, EvalInterval = EvalInterval,
            },
            MaxSteps = MyInvocation.BoundParameters.ContainsKey(nameof(MaxSteps)) ? MaxSteps : null,
            Epochs = MyInvocation.BoundParameters.ContainsKey(nameof(Epochs)) ? Epochs : null,
            Resume = Resume,
            Force = Force,
            SaveEvery = SaveEvery,
        };
        if (!ShouldProcess(request.Checkpoint, Resume ? "Resume training" : "Train a new model")) return;

        if (AsJob)
        {
            var job = new DreamJob(MyInvocation.Line, JobName, "LoomTrainJob", context =>
            {
                var progress = new LoomProgressReporter(context.WriteProgress);
                var result = LoomSession.Train(request, context.CancellationToken, progress, context.WriteVerbose);
                progress.Complete();
                context.WriteObject(result);
            });
            WriteObject(DreamJob.Start(this, job));
            return;
        }

        LoomProgress? latest = null;
        var messages = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var work = Task.Run(() => LoomSession.Train(request, _stop.Token, new SyncProgress(p => Volatile.Write(ref latest, p)), messages.Enqueue));
        var reporter = new LoomProgressReporter(WriteProgress);
        LoomProgress? shown = null;
        while (Task.WaitAny([work], 250) < 0)
        {
            if (_stop.IsCancellationRequested) continue; // stopping: the engine is saving; the pipeline can no longer be written to
            while (messages.TryDequeue(out var message)) WriteVerbose(message);
            var current = Volatile.Read(ref latest);
            if (current is not null && !ReferenceEquals(current, shown)) { reporter.Report(current); shown = current; }
        }
        if (work.IsFaulted)
        {
            var error = work.Exception!.GetBaseException();
            ThrowTerminatingError(DreamErrorRecords.From(error, request.Checkpoint));
        }
        while (messages.TryDequeue(out var message)) WriteVerbose(message);
        reporter.Complete();
        WriteObject(work.Result);
    }

    protected override void StopProcessing() => _stop.Cancel();

    private sealed class SyncProgress(Action<LoomProgress> report) : IProgress<LoomProgress>
    {
        public void Report(LoomProgress value) => report(value);
    }
}

/// <summary>Formats training progress as Write-Progress records: step, loss, validation loss, tokens/s, ETA.</summary>
internal sealed class LoomProgressReporter(Action<ProgressRecord> write) : IProgress<LoomProgress>
{
    private const int ActivityId = 0x100A;
    private long _lastTicks;

    public void Report(LoomProgress p)
    {
        long now = Environment.TickCount64;
        if (now - _lastTicks < 200 && p.Step < p.MaxSteps) return; // a job's Progress stream need not hold every step
        _lastTicks = now;
        string validation = p.ValidationLoss is { } v ? $"{v:F4}" : "–";
        var record = new ProgressRecord(ActivityId, "Training Loom model",
            $"step {p.Step}/{p.MaxSteps}  loss {p.Loss:F4}  val {validation}  {p.TokensPerSecond:N0} tokens/s")
        {
            PercentComplete = (int)Math.Clamp(100L * p.Step / Math.Max(1, p.MaxSteps), 0, 100),
            SecondsRemaining = p.Remaining is { } r ? (int)Math.Min(int.MaxValue, r.TotalSeconds) : -1,
        };
        write(record);
    }

    public void Complete() => write(new ProgressRecord(ActivityId, "Training Loom model", "done") { RecordType = ProgressRecordType.Completed });
}
