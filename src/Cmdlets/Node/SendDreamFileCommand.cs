using System.Management.Automation;
using Dreamwell.Node;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Sends a file through the running tesseract to a connected peer (by label or QuantumId): 1 MiB chunks, each verified
/// by BLAKE3 as it arrives, the whole checked against its content hash, filed in the peer's inbox without overwriting.
/// Sending the same file again after a dropped link resumes: chunks the peer kept are not sent twice. The peer accepts
/// files only from friends unless it is configured otherwise; a refusal is the error TransferRefused.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "DreamFile", SupportsShouldProcess = true)]
[OutputType(typeof(FileTransferResult))]
public sealed class SendDreamFileCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The peer: its label or QuantumId, as Get-TesseractPeer shows it.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Target { get; set; } = "";

    /// <summary>The name to file it under in the peer's inbox. Default: the file's own name.</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary>How long the whole send may take.</summary>
    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    protected override void ProcessRecord()
    {
        foreach (var file in ResolveWildcard(Path))
        {
            try
            {
                if (!File.Exists(file))
                    throw new DreamException("NotAFile", DreamErrorKind.InvalidArgument, $"'{file}' is not a file.");
                if (!ShouldProcess(file, $"Send to {Target}")) continue;
                var client = TesseractClient.ForHome(Home);
                var leaf = Name ?? System.IO.Path.GetFileName(file);
                var result = RunEngine($"Sending {leaf} to {Target}", (progress, token) => SendAsync(client, file, leaf, progress, token).GetAwaiter().GetResult());
                WriteObject(result);
            }
            catch (Exception e) when (IsReportable(e))
            {
                WriteDreamError(e, file);
            }
        }
    }

    /// <summary>Runs the send and, while it runs, asks the node for progress (LQTP "transfers") to feed Write-Progress.</summary>
    private async Task<FileTransferResult> SendAsync(TesseractClient client, string file, string leaf, IProgress<DreamProgress> progress, CancellationToken token)
    {
        var send = client.InvokeAsync<FileTransferResult>("send", new { path = file, target = Target, name = Name }, Timeout, token);
        var size = new FileInfo(file).Length;
        while (await Task.WhenAny(send, Task.Delay(PollEvery, token)).ConfigureAwait(false) != send)
        {
            try
            {
                var running = await client.InvokeAsync<List<TransferProgress>>("transfers", null, TimeSpan.FromSeconds(5), token).ConfigureAwait(false);
                if (running.FirstOrDefault(t => t.Direction == "Send" && t.Name == leaf) is { } mine)
                    progress.Report(new DreamProgress($"Sending {leaf} to {Target}", $"{mine.BytesDone:N0} of {mine.Size:N0} bytes ({mine.BytesCrossed:N0} on the wire)", mine.BytesDone, mine.Size));
            }
            catch (DreamException)
            {
                // Progress is best effort; the send itself reports what went wrong.
            }
        }
        var result = await send.ConfigureAwait(false);
        progress.Report(new DreamProgress($"Sending {leaf} to {Target}", "Done", size, size));
        return result;
    }
}
