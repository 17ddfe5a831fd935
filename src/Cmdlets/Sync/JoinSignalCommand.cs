using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Subscribes to a signal by its key; the running node keeps a verified local copy in a folder.</summary>
[Cmdlet(VerbsCommon.Join, "Signal", SupportsShouldProcess = true)]
[OutputType(typeof(DreamSignal))]
public sealed class JoinSignalCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Key { get; set; } = "";

    /// <summary>The local copy's folder (created when missing; default ./signal-&lt;short id&gt;).</summary>
    [Parameter(Position = 1)]
    public string? Path { get; set; }

    [Parameter]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var key = ShareKey.Parse(Key);
            var folder = ResolveLiteral(string.IsNullOrEmpty(Path) ? $"signal-{key.ShortId}" : Path);
            if (!ShouldProcess(folder, $"Subscribe to signal {key.ShortId} of {key.OwnerQuantumId} into this folder")) return;
            var signal = Signals.Join(Home, Key, folder, Name);
            if (!RunningNode.TryReload(Home, "signal-reload", StopToken))
                WriteWarning("No tesseract runs for this home: start one (Start-Tesseract); it dials the publisher and keeps the copy current.");
            WriteObject(DreamSignal.From(signal, includeKey: false));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Key.Length > 12 ? Key[..12] + "…" : Key);
        }
    }
}
