using System.Management.Automation;
using Dreamwell.Node;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Has the home's running tesseract open an encrypted link to a peer and returns it once hellos are exchanged. The peer is
/// host:port, a QuantumId or label (dialed at the friend's addresses; the proven key must match), or a qttps address.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "Tesseract")]
[OutputType(typeof(TesseractPeer))]
public sealed class ConnectTesseractCommand : DreamCmdlet
{
    /// <summary>host:port, a QuantumId, a label or a qttps address; a DreamFriend or TesseractPeer binds by its QuantumId.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("QuantumId")]
    [ValidateNotNullOrEmpty]
    public string Peer { get; set; } = "";

    private TesseractClient? _client;

    protected override void ProcessRecord()
    {
        try
        {
            _client ??= TesseractClient.ForHome(Home);
            var client = _client;
            WriteObject(RunEngine($"Connecting to {Peer}", (_, token) => client.ConnectAsync(Peer, token).GetAwaiter().GetResult()));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Peer);
        }
    }
}
