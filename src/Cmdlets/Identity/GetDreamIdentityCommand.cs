using System.Management.Automation;
using Dreamwell.Identity;

namespace Dreamwell.Cmdlets;

[Cmdlet(VerbsCommon.Get, "DreamIdentity")]
[OutputType(typeof(IdentityReport))]
public sealed class GetDreamIdentityCommand : DreamCmdlet
{
    protected override void EndProcessing()
    {
        try
        {
            WriteObject(IdentityReport.Of(Home));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.IdentityFile);
        }
    }
}
