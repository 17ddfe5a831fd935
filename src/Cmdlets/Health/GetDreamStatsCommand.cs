using System.Management.Automation;
using Dreamwell.Health;

namespace Dreamwell.Cmdlets;

[Cmdlet(VerbsCommon.Get, "DreamStats")]
[OutputType(typeof(DreamStats))]
public sealed class GetDreamStatsCommand : DreamCmdlet
{
    [Parameter(Position = 0)]
    public StatsScope Scope { get; set; } = StatsScope.Local;

    protected override void EndProcessing()
    {
        try
        {
            WriteObject(DreamStats.Compute(Home, Scope));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.Path);
        }
    }
}
