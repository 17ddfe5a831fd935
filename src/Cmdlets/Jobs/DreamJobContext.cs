using System.Management.Automation;

namespace Dreamwell.Cmdlets;

/// <summary>What an engine delegate running inside a <see cref="DreamJob"/> can do: write to each job stream, and see Stop-Job.</summary>
public sealed class DreamJobContext
{
    private readonly DreamJob _job;

    internal DreamJobContext(DreamJob job, CancellationToken cancellationToken)
    {
        _job = job;
        CancellationToken = cancellationToken;
    }

    public CancellationToken CancellationToken { get; }

    public void WriteObject(object? value) { if (value is not null) _job.Output.Add(PSObject.AsPSObject(value)); }
    public void WriteError(ErrorRecord record) => _job.Error.Add(record);
    public void WriteProgress(ProgressRecord record) => _job.Progress.Add(record);
    public void WriteVerbose(string message) => _job.Verbose.Add(new VerboseRecord(message));
    public void WriteWarning(string message) => _job.Warning.Add(new WarningRecord(message));
}
