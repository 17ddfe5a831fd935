using System.Management.Automation;
using Dreamwell.Node;

namespace Dreamwell.Cmdlets;

/// <summary>The peers the home's running tesseract knows: label, QuantumId, kind, chain length, trust, state, last seen, address.</summary>
[Cmdlet(VerbsCommon.Get, "TesseractPeer")]
[OutputType(typeof(TesseractPeer))]
public sealed class GetTesseractPeerCommand : DreamCmdlet
{
    /// <summary>Only peers whose label or QuantumId matches (wildcards allowed).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            var client = TesseractClient.ForHome(Home);
            var peers = RunEngine("Tesseract peers", (_, token) => client.PeersAsync(token).GetAwaiter().GetResult());
            var patterns = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var peer in peers)
                if (patterns is null || patterns.Any(p => p.IsMatch(peer.Label) || p.IsMatch(peer.QuantumId)))
                    WriteObject(peer);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Home.Path);
        }
    }
}
