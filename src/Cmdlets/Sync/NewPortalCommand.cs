using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Shares a folder as a two-way portal and returns it with its key (give the key to a friend: Connect-Portal).</summary>
[Cmdlet(VerbsCommon.New, "Portal", SupportsShouldProcess = true)]
[OutputType(typeof(DreamPortal))]
public sealed class NewPortalCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>host:port addresses peers dial to reach this node (default: the running node's peer port on 127.0.0.1).</summary>
    [Parameter]
    public string[]? Address { get; set; }

    protected override void EndProcessing()
    {
        var folder = ResolveLiteral(Path);
        if (!ShouldProcess(folder, "Share this folder as a portal (writes portals.json in DREAMWELL_HOME)")) return;
        try
        {
            var portal = Portals.Open(Home, folder, Name, Address);
            if (!RunningNode.TryReload(Home, "portal-reload", StopToken))
                WriteWarning("No tesseract runs for this home: start one (Start-Tesseract) so friends can connect to the portal.");
            WriteObject(DreamPortal.From(portal, includeKey: true));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, folder);
        }
    }
}
