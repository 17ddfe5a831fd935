using System.Management.Automation;
using Dreamwell.Node;

namespace Dreamwell.Cmdlets;

/// <summary>Uptime, ports, peers and chain head of the home's running tesseract, over local control.</summary>
[Cmdlet(VerbsCommon.Get, "TesseractStatus")]
[OutputType(typeof(TesseractStatus))]
public sealed class GetTesseractStatusCommand : DreamCmdlet
{
    protected override void EndProcessing()
    {
        try
        {
            var client = TesseractClient.ForHome(Home);
            WriteObject(RunEngine("Tesseract status", (_, token) => client.StatusAsync(token).GetAwaiter().GetResult()));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.Path);
        }
    }
}
