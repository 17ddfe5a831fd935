using System.Management.Automation;
using Dreamwell.Chain;

namespace Dreamwell.Cmdlets;

[Cmdlet(VerbsCommon.Get, "SealChain")]
[OutputType(typeof(SealEntry))]
public sealed class GetSealChainCommand : DreamCmdlet
{
    [Parameter(Position = 0)]
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            var entries = SealChain.Read(Home);
            var skip = Last is { } n ? Math.Max(0, entries.Count - n) : 0;
            foreach (var entry in entries.Skip(skip)) WriteObject(entry);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.ChainFile);
        }
    }
}
