using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Broadcasts a folder one way as a signal and returns it with its key (subscribers use Join-Signal).</summary>
[Cmdlet(VerbsCommon.New, "Signal", SupportsShouldProcess = true)]
[OutputType(typeof(DreamSignal))]
public sealed class NewSignalCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>host:port addresses subscribers dial (default: the running node's peer port on 127.0.0.1).</summary>
    [Parameter]
    public string[]? Address { get; set; }

    protected override void EndProcessing()
    {
        var folder = ResolveLiteral(Path);
        if (!ShouldProcess(folder, $"Publish this folder as signal '{Name}' (writes signals.json in DREAMWELL_HOME)")) return;
        try
        {
            var signal = Signals.Open(Home, folder, Name, Address);
            if (!RunningNode.TryReload(Home, "signal-reload", StopToken))
                WriteWarning("No tesseract runs for this home: start one (Start-Tesseract) to publish the first release and serve subscribers.");
            WriteObject(DreamSignal.From(signal, includeKey: true));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, folder);
        }
    }
}
