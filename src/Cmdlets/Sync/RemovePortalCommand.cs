using System.Management.Automation;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Stops syncing a portal and forgets its index; the folder and its files stay as they are.</summary>
[Cmdlet(VerbsCommon.Remove, "Portal", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DreamPortal))]
public sealed class RemovePortalCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    protected override void ProcessRecord()
    {
        try
        {
            var registry = new PortalRegistry(Home);
            var portal = registry.Find(Name) ?? throw PortalRegistry.NotFound(Name);
            if (!ShouldProcess($"{portal.Name} ({portal.ShortId}, {portal.Path})", "Stop syncing this portal (the folder is kept)")) return;
            var removed = registry.Remove(portal.Id);
            RunningNode.TryReload(Home, "portal-reload", StopToken);
            WriteObject(DreamPortal.From(removed, includeKey: false));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Name);
        }
    }
}
