using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Joins a friend's portal by its key into a local folder; the running node keeps it in sync both ways.</summary>
[Cmdlet(VerbsCommunications.Connect, "Portal", SupportsShouldProcess = true)]
[OutputType(typeof(DreamPortal))]
public sealed class ConnectPortalCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Key { get; set; } = "";

    /// <summary>The local folder (created when missing; default: ./portal-&lt;short id&gt;).</summary>
    [Parameter(Position = 1)]
    public string? Path { get; set; }

    [Parameter]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var key = ShareKey.Parse(Key);
            var folder = ResolveLiteral(string.IsNullOrEmpty(Path) ? $"portal-{key.ShortId}" : Path);
            if (!ShouldProcess(folder, $"Join portal {key.ShortId} of {key.OwnerQuantumId} into this folder")) return;
            var portal = Portals.Join(Home, Key, folder, Name);
            if (!RunningNode.TryReload(Home, "portal-reload", StopToken))
                WriteWarning("No tesseract runs for this home: start one (Start-Tesseract); it dials the portal's owner and syncs.");
            WriteObject(DreamPortal.From(portal, includeKey: false));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Key.Length > 12 ? Key[..12] + "…" : Key);
        }
    }
}
