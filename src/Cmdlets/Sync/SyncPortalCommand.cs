using System.Management.Automation;
using Dreamwell.Node;
using Dreamwell.Sync;

namespace Dreamwell.Cmdlets;

/// <summary>Has the running node scan and exchange now, waits until it is quiet, and reports what moved.</summary>
[Cmdlet(VerbsData.Sync, "Portal")]
[OutputType(typeof(PortalSyncReport))]
public sealed class SyncPortalCommand : DreamCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var client = TesseractClient.ForHome(Home);
            var reports = RunEngine("Syncing portals", (_, token) =>
                client.InvokeAsync<List<PortalSyncReport>>("portal-sync", new { portal = Name ?? "" }, TimeSpan.FromSeconds(150), token).GetAwaiter().GetResult());
            WriteObject(reports, enumerateCollection: true);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Name ?? Home.Path);
        }
    }
}
