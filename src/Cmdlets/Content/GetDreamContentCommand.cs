using System.Diagnostics;
using System.Management.Automation;
using Dreamwell.Content;
using Dreamwell.Identity;
using Dreamwell.Node;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Gets published content by address into a file (or as bytes with -AsBytes), verifying every chunk and the
/// whole-content hash before anything appears, and returns a signed receipt. An address of this identity reads the
/// home's own store; any other authority (a peer's QuantumId or label) is fetched by the running tesseract from that
/// connected peer.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DreamContent", SupportsShouldProcess = true, DefaultParameterSetName = "File")]
[OutputType(typeof(DreamReceipt), ParameterSetName = ["File"])]
[OutputType(typeof(byte[]), ParameterSetName = ["Bytes"])]
public sealed class GetDreamContentCommand : DreamCmdlet
{
    /// <summary>qttps:φ//&lt;QuantumId|label&gt;/&lt;name&gt; or qttps://&lt;QuantumId|label&gt;/&lt;name&gt;.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = "";

    /// <summary>The file to write, or an existing folder to write into. Default: the name's last segment in the current folder.</summary>
    [Parameter(Position = 1, ParameterSetName = "File")]
    public string? Destination { get; set; }

    [Parameter(ParameterSetName = "File")]
    public SwitchParameter Force { get; set; }

    /// <summary>Return the content as one byte array (up to 1 MiB) instead of writing a file; the receipt goes to the seal chain.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Bytes")]
    public SwitchParameter AsBytes { get; set; }

    /// <summary>How long a fetch from a peer may take.</summary>
    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    protected override void ProcessRecord()
    {
        try
        {
            var address = PeerContentAddress.Parse(Address);
            var local = IdentityStore.Exists(Home) ? IdentityStore.Load(Home).QuantumId : null;
            string? destination = null;
            if (!AsBytes)
            {
                destination = ResolveLiteral(Destination ?? ContentName.Leaf(address.Name));
                if (Directory.Exists(destination)) destination = System.IO.Path.Combine(destination, ContentName.Leaf(address.Name));
            }
            if (!ShouldProcess(address.ToString(), destination is null ? "Read into memory" : $"Restore into '{destination}'")) return;
            if (address.IsQuantumId && address.Authority == local) GetLocal(address.Name, destination);
            else GetFromPeer(address, destination);
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Address);
        }
    }

    private void GetLocal(string name, string? destination)
    {
        var clock = Stopwatch.StartNew();
        if (destination is null)
        {
            var bytes = RunEngine($"Reading {name}", (_, token) =>
            {
                using var store = ContentStore.Open(Home);
                var (item, chunks) = store.ManifestOf(name);
                if (item.Size > ContentLimits.MaxBytesAnswer)
                    throw new DreamException("ContentTooLargeForBytes", DreamErrorKind.LimitExceeded, $"'{name}' is {item.Size} bytes; -AsBytes returns at most {ContentLimits.MaxBytesAnswer}. Give a -Destination.");
                using var buffer = new MemoryStream();
                store.Assemble(chunks, item.Size, item.ContentHash, buffer, token);
                return (item, buffer.ToArray());
            });
            IssueReceipt(new ReceiptDraft("Content.Get", null, bytes.item.ContentHash, bytes.item.ContentHash, bytes.item.Size, bytes.item.Size,
                IntegrityVerdict.Verified, bytes.item.ChunkCount + 1, clock.Elapsed));
            WriteObject(bytes.Item2, enumerateCollection: false);
            return;
        }
        var result = RunEngine($"Restoring {name}", (progress, token) =>
        {
            using var store = ContentStore.Open(Home);
            return store.Restore(name, destination, Force, progress, token);
        });
        WriteObject(IssueReceipt(new ReceiptDraft("Content.Get", result.Destination, result.Item.ContentHash, result.Item.ContentHash,
            result.Item.Size, result.Item.Size, IntegrityVerdict.Verified, result.Verifications, clock.Elapsed)));
    }

    private void GetFromPeer(PeerContentAddress address, string? destination)
    {
        var client = TesseractClient.ForHome(Home);
        if (destination is not null && !Force && File.Exists(destination))
            throw new DreamException("DestinationExists", DreamErrorKind.AlreadyExists, $"'{destination}' already exists; use -Force to replace it.");
        var result = RunEngine($"Fetching {address}", (_, token) =>
            client.InvokeAsync<ContentFetchResult>("fetch", new { peer = address.Authority, name = address.Name, destination, overwrite = Force.IsPresent }, Timeout, token)
                .GetAwaiter().GetResult());
        if (destination is null) WriteObject(result.Content ?? [], enumerateCollection: false);
        else WriteObject(result.Receipt);
    }
}
