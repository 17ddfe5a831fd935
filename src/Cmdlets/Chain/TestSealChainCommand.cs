using System.Management.Automation;
using Dreamwell.Chain;

namespace Dreamwell.Cmdlets;

/// <summary>Verifies every link, signature and index of the seal chain; reports the first bad index.</summary>
[Cmdlet(VerbsDiagnostic.Test, "SealChain")]
[OutputType(typeof(ChainVerdict), typeof(bool))]
public sealed class TestSealChainCommand : DreamCmdlet
{
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            var verdict = SealChain.Verify(Home);
            if (Quiet) WriteObject(verdict.IsValid);
            else WriteObject(verdict);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.ChainFile);
        }
    }
}
