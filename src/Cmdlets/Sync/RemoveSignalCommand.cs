using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Stops publishing or following a signal and forgets its state; the folder and its files stay.</summary>
[Cmdlet(VerbsCommon.Remove, "Signal", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DreamSignal))]
public sealed class RemoveSignalCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    protected override void ProcessRecord()
    {
        try
        {
            var registry = new SignalRegistry(Home);
            var signal = registry.Find(Name) ?? throw SignalRegistry.NotFound(Name);
            if (!ShouldProcess($"{signal.Name} ({signal.ShortId}, {signal.Path})", $"Stop {(signal.Role == SignalRecord.Publisher ? "publishing" : "following")} this signal (the folder is kept)")) return;
            var removed = registry.Remove(signal.Id);
            RunningNode.TryReload(Home, "signal-reload", StopToken);
            WriteObject(DreamSignal.From(removed, includeKey: false));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Name);
        }
    }
}
