using System.Diagnostics;
using System.Management.Automation;
using Dreamwell.Content;
using Dreamwell.Identity;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Restores published content by address into a file, verifying every chunk and the whole-content hash
/// before the file appears, and returns a signed receipt. Only this identity's own store is reachable yet:
/// an address of another QuantumId is refused with PeerFetchNotAvailable.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DreamContent", SupportsShouldProcess = true)]
[OutputType(typeof(DreamReceipt))]
public sealed class GetDreamContentCommand : DreamCmdlet
{
    /// <summary>qttps:φ//&lt;QuantumId&gt;/&lt;name&gt; or qttps://&lt;QuantumId&gt;/&lt;name&gt;.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = "";

    /// <summary>The file to write, or an existing folder to write into. Default: the name's last segment in the current folder.</summary>
    [Parameter(Position = 1)]
    public string? Destination { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var address = DreamAddress.Parse(Address);
            var local = IdentityStore.Exists(Home) ? IdentityStore.Load(Home).QuantumId : null;
            if (address.QuantumId != local)
                throw new DreamException("PeerFetchNotAvailable", DreamErrorKind.ResourceUnavailable,
                    $"'{address}' is published by {address.QuantumId}, not by this identity ({local ?? "none yet"}); fetching from peers is not built yet, only this home's own store can be read.");
            var destination = ResolveLiteral(Destination ?? ContentName.Leaf(address.Name));
            if (Directory.Exists(destination)) destination = System.IO.Path.Combine(destination, ContentName.Leaf(address.Name));
            if (!ShouldProcess(address.ToString(), $"Restore into '{destination}'")) return;
            var clock = Stopwatch.StartNew();
            var result = RunEngine($"Restoring {address.Name}", (progress, token) =>
            {
                using var store = ContentStore.Open(Home);
                return store.Restore(address.Name, destination, Force, progress, token);
            });
            WriteObject(IssueReceipt(new ReceiptDraft("Content.Get", result.Destination, result.Item.ContentHash, result.Item.ContentHash,
                result.Item.Size, result.Item.Size, IntegrityVerdict.Verified, result.Verifications, clock.Elapsed)));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, Address);
        }
    }
}
