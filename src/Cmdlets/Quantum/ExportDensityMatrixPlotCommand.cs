using System.Management.Automation;
using Dreamwell.Quantum;

namespace Dreamwell.Cmdlets;

/// <summary>
/// <para type="synopsis">Writes a heat-map PNG of a density matrix (magnitude, real or imaginary part of each entry).</para>
/// </summary>
[Cmdlet(VerbsData.Export, "DensityMatrixPlot", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportDensityMatrixPlotCommand : DreamCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("State")]
    public DensityMatrix InputObject { get; set; } = null!;

    /// <summary>Destination PNG path.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = "";

    [Parameter]
    public DensityPlotPart Part { get; set; } = DensityPlotPart.Magnitude;

    [Parameter]
    [ValidateRange(64, 8192)]
    public int Width { get; set; } = 640;

    [Parameter]
    [ValidateRange(64, 8192)]
    public int Height { get; set; } = 520;

    [Parameter]
    public string? Title { get; set; }

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var target = ResolveLiteral(Path);
        if (!ShouldProcess(target, $"Write {Part} heat map of a {InputObject.Dimension}×{InputObject.Dimension} density matrix")) return;
        try
        {
            var png = DensityMatrixPlot.RenderPng(InputObject, Part, Width, Height, Title);
            AtomicFile.WriteAllBytes(target, png, overwrite: Force);
            WriteObject(new FileInfo(target));
        }
        catch (Exception e) when (IsReportable(e))
        {
            WriteDreamError(e, target);
        }
    }
}
