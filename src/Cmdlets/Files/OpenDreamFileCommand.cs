using System.Diagnostics;
using System.Management.Automation;
using Dreamwell.Formats;

namespace Dreamwell.Cmdlets;

/// <summary>
/// Detects the format by magic, verifies everything and restores it; the output appears whole or
/// not at all. Returns a signed receipt.
/// </summary>
[Cmdlet(VerbsCommon.Open, "DreamFile", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(DreamReceipt))]
public sealed class OpenDreamFileCommand : DreamPathCmdlet
{
    /// <summary>Where to restore. Default: the container's path without its format extension.</summary>
    [Parameter(Position = 1)]
    public string? Destination { get; set; }

    /// <summary>The base file a .qdlt delta applies to.</summary>
    [Parameter]
    public string? Base { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() => ForEachInput(container =>
    {
        var format = DreamCodec.Detect(container)
            ?? throw new DreamFormatException("UnknownFormat", $"'{container}' is not a Dreamwell container (unknown magic).", 0);
        if (format == DreamFormat.Fibo)
            throw new DreamException("NotAContainer", DreamErrorKind.InvalidArgument, $"'{container}' is an identity file; use Get-DreamIdentity.");
        var basePath = Base is null ? null : ResolveLiteral(Base);
        if (format == DreamFormat.Delta && basePath is null)
            throw new DreamException("BaseRequired", DreamErrorKind.InvalidArgument, $"'{container}' is a delta; name the file it applies to with -Base.");
        var destination = Destination is null ? DefaultDestination(container, format) : ResolveLiteral(Destination);
        var action = format == DreamFormat.Fractal && Force && Directory.Exists(destination)
            ? $"Replace the whole folder '{destination}' (and everything in it) with the archive's tree"
            : $"Restore {format} into '{destination}'";
        if (!ShouldProcess(container, action)) return;

        var clock = Stopwatch.StartNew();
        var result = RunEngine($"Opening {System.IO.Path.GetFileName(container)}",
            (progress, token) => DreamCodec.Open(container, destination, basePath, Force, progress, token));
        WriteObject(IssueReceipt(new ReceiptDraft($"Open.{result.Format}", result.OutputPath, result.InputHash, result.OutputHash,
            result.BytesIn, result.BytesOut, IntegrityVerdict.Verified, result.Verifications, clock.Elapsed)));
    });

    private static string DefaultDestination(string container, DreamFormat format)
    {
        var extension = DreamCodec.DefaultExtension(format);
        if (container.EndsWith(extension, StringComparison.OrdinalIgnoreCase) && container.Length > extension.Length)
            return container[..^extension.Length];
        throw new DreamException("DestinationRequired", DreamErrorKind.InvalidArgument,
            $"'{container}' does not end in {extension}, so the output name cannot be derived; give -Destination.");
    }
}
