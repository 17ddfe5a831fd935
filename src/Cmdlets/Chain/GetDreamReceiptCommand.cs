using System.Management.Automation;

namespace Dreamwell.Cmdlets;

[Cmdlet(VerbsCommon.Get, "DreamReceipt")]
[OutputType(typeof(DreamReceipt))]
public sealed class GetDreamReceiptCommand : DreamCmdlet
{
    [Parameter(Position = 0)]
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            foreach (var receipt in ReceiptBook.Read(Home, Last)) WriteObject(receipt);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.ChainFile);
        }
    }
}
