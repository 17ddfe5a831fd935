using System.Management.Automation;
using Dreamwell.Loom;

namespace Dreamwell.Cmdlets;

/// <summary>Measures a checkpoint's cross-entropy loss and bits per character on a text file or folder.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "LoomModel")]
[OutputType(typeof(LoomMeasurement))]
public sealed class MeasureLoomModelCommand : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    [Parameter(Mandatory = true, Position = 0)] public string Checkpoint { get; set; } = "";
    [Parameter(Mandatory = true, Position = 1)] public string Corpus { get; set; } = "";

    protected override void EndProcessing()
    {
        try
        {
            long last = 0;
            var progress = new ThrottledProgress(p =>
            {
                if (Environment.TickCount64 - last < 250) return;
                last = Environment.TickCount64;
                WriteProgress(new ProgressRecord(0x100B, "Measuring Loom model", p.Status) { PercentComplete = p.Percent });
            });
            var result = LoomSession.Measure(GetUnresolvedProviderPathFromPSPath(Checkpoint), GetUnresolvedProviderPathFromPSPath(Corpus), _stop.Token, progress);
            WriteObject(result);
        }
        catch (Exception e) when (e is DreamException or OperationCanceledException)
        {
            WriteError(DreamErrorRecords.From(e, Checkpoint));
        }
    }

    protected override void StopProcessing() => _stop.Cancel();

    private sealed class ThrottledProgress(Action<DreamProgress> report) : IProgress<DreamProgress>
    {
        public void Report(DreamProgress value) => report(value);
    }
}
