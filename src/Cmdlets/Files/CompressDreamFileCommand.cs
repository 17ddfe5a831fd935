using System.Diagnostics;
using System.Management.Automation;
using Dreamwell.Formats;

namespace Dreamwell.Cmdlets;

/// <summary>Packs a file (.dreamfile, .qport) or a file or folder (.fractal) and returns a signed receipt.</summary>
[Cmdlet(VerbsData.Compress, "DreamFile", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(DreamReceipt))]
public sealed class CompressDreamFileCommand : DreamPathCmdlet
{
    /// <summary>Default: Dreamfile for a file, Fractal for a folder.</summary>
    [Parameter]
    public PackFormat? Format { get; set; }

    /// <summary>A file path, or an existing folder to write into. Default: beside the input.</summary>
    [Parameter(Position = 1)]
    public string? Destination { get; set; }

    [Parameter]
    [ValidateRange(-7, 22)]
    public int? Level { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() => ForEachInput(source =>
    {
        var isFolder = Directory.Exists(source);
        var format = (DreamFormat)(Format ?? (isFolder ? PackFormat.Fractal : PackFormat.Dreamfile));
        if (isFolder && format != DreamFormat.Fractal)
            throw new DreamException("FolderNeedsFractal", DreamErrorKind.InvalidArgument,
                $"'{source}' is a folder; {format} holds one file. Use -Format Fractal.");
        var destination = DestinationFor(source, format);
        if (!ShouldProcess(source, $"Pack as {format} into '{destination}'")) return;

        var clock = Stopwatch.StartNew();
        var result = RunEngine($"Packing {System.IO.Path.GetFileName(source)}",
            (progress, token) => WrittenContainer.Check(DreamCodec.Pack(source, destination, format, new PackOptions { Level = Level }, Force, progress, token), progress, token));
        WriteObject(IssueReceipt(WrittenContainer.Receipt($"Pack.{format}", result, clock)));
    });

    private string DestinationFor(string source, DreamFormat format)
    {
        var name = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(source)) + DreamCodec.DefaultExtension(format);
        if (Destination is null) return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.TrimEndingDirectorySeparator(source))!, name);
        var destination = ResolveLiteral(Destination);
        return Directory.Exists(destination) ? System.IO.Path.Combine(destination, name) : destination;
    }
}
