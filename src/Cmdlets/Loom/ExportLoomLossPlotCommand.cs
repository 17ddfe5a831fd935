using System.Management.Automation;
using Dreamwell.Loom;

namespace Dreamwell.Cmdlets;

/// <summary>Draws a checkpoint's training and validation loss curves to a PNG (ScottPlot), written atomically.</summary>
[Cmdlet(VerbsData.Export, "LoomLossPlot", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportLoomLossPlotCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)] public string Checkpoint { get; set; } = "";
    [Parameter(Mandatory = true, Position = 1)] public string Path { get; set; } = "";
    [Parameter] [ValidateRange(200, 8000)] public int Width { get; set; } = 900;
    [Parameter] [ValidateRange(150, 8000)] public int Height { get; set; } = 500;
    /// <summary>Average the training loss over this many steps (the raw curve is noisy).</summary>
    [Parameter] [ValidateRange(1, 100_000)] public int Smoothing { get; set; } = 20;

    protected override void EndProcessing()
    {
        try
        {
            var info = LoomCheckpoint.Inspect(GetUnresolvedProviderPathFromPSPath(Checkpoint));
            string output = GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(output, "Write loss plot")) return;
            var png = LoomLossPlot.Render(info, Width, Height, Smoothing);
            AtomicFile.WriteAllBytes(output, png);
            WriteObject(new FileInfo(output));
        }
        catch (DreamException e) { WriteError(DreamErrorRecords.From(e, Checkpoint)); }
    }
}
