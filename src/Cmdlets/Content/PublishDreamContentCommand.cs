using System.Diagnostics;
using System.Management.Automation;
using Dreamwell.Content;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Publishes a file into the local content store ($DREAMWELL_HOME/content): chunks it, stores each new
/// chunk once under its BLAKE3 hash, indexes it under -Name, and returns its address with a signed receipt.
/// </summary>
[Cmdlet(VerbsData.Publish, "DreamContent", SupportsShouldProcess = true)]
[OutputType(typeof(PublishedContent))]
public sealed class PublishDreamContentCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The name in the store ('/'-separated, relative). Default: the file name.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        var source = ResolveLiteral(Path);
        try
        {
            if (Directory.Exists(source))
                throw new DreamException("NotAFile", DreamErrorKind.InvalidArgument, $"'{source}' is a folder; publish its files (Get-ChildItem -File -Recurse | Publish-DreamContent).");
            if (!File.Exists(source))
                throw new DreamException("PathNotFound", DreamErrorKind.NotFound, $"Cannot find the file '{source}'.");
            var name = ContentName.Validate(Name ?? System.IO.Path.GetFileName(source));
            if (!ShouldProcess(source, $"Publish as '{name}' into the content store in '{Home.Path}'")) return;
            var clock = Stopwatch.StartNew();
            var result = RunEngine($"Publishing {name}", (progress, token) =>
            {
                using var store = ContentStore.Open(Home);
                return store.Publish(source, name, progress, token);
            });
            var item = result.Item;
            var receipt = IssueReceipt(new ReceiptDraft("Content.Publish", name, item.ContentHash, item.ContentHash,
                item.Size, result.NewBytes, IntegrityVerdict.NotChecked, 0, clock.Elapsed));
            WriteObject(new PublishedContent(new DreamAddress(receipt.Signer, name).ToString(), name, item.ContentHash, item.Size,
                item.ChunkCount, result.NewChunks, result.NewBytes, receipt));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, source);
        }
    }
}
