using System.Management.Automation;
using Dreamwell.Node;

namespace Dreamwell.Cmdlets;

/// <summary>Has the home's running tesseract close its links to a peer (by QuantumId or label); the peer receives a bye.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "Tesseract", SupportsShouldProcess = true)]
[OutputType(typeof(TesseractPeer))]
public sealed class DisconnectTesseractCommand : DreamCmdlet
{
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(15);

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("QuantumId")]
    [ValidateNotNullOrEmpty]
    public string Peer { get; set; } = "";

    /// <summary>Told to the peer in the bye.</summary>
    [Parameter]
    [ValidateLength(1, 200)]
    public string? Reason { get; set; }

    private TesseractClient? _client;

    protected override void ProcessRecord()
    {
        try
        {
            _client ??= TesseractClient.ForHome(Home);
            var client = _client;
            if (!ShouldProcess(Peer, "Disconnect")) return;
            var closed = RunEngine($"Disconnecting {Peer}", (_, token) =>
                client.InvokeAsync<List<TesseractPeer>>(TrustMethods.Disconnect, new { peer = Peer, reason = Reason }, CallBound, token).GetAwaiter().GetResult());
            foreach (var peer in closed) WriteObject(peer);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Peer);
        }
    }
}
