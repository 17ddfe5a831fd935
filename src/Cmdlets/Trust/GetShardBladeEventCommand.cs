using System.Management.Automation;
using Dreamwell.Node;

namespace Dreamwell.Cmdlets;

/// <summary>ShardBlade's audit entries (refusals, quarantines) from this home's seal chain, which is verified first. Needs no running node.</summary>
[Cmdlet(VerbsCommon.Get, "ShardBladeEvent")]
[OutputType(typeof(ShardBladeEvent))]
public sealed class GetShardBladeEventCommand : DreamCmdlet
{
    /// <summary>Only events about this peer.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? QuantumId { get; set; }

    /// <summary>Only events at or after this time.</summary>
    [Parameter]
    public DateTime? Since { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            DateTimeOffset? since = Since is { } s ? new DateTimeOffset(s.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(s, DateTimeKind.Local) : s) : null;
            foreach (var item in ShardBladeLog.Read(Home, QuantumId, since)) WriteObject(item);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.ChainFile);
        }
    }
}
