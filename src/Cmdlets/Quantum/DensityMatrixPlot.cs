using System.Numerics;
using Dreamwell.Quantum;

namespace Dreamwell.Cmdlets;

/// <summary>Which real number of each entry ρij a heat map shows.</summary>
public enum DensityPlotPart
{
    Magnitude,
    Real,
    Imaginary,
}

/// <summary>Renders ρ as a heat-map PNG with ScottPlot (row i, column j as on paper: row 0 on top).</summary>
internal static class DensityMatrixPlot
{
    public static byte[] RenderPng(DensityMatrix rho, DensityPlotPart part, int width, int height, string? title)
    {
        int n = rho.Dimension;
        var values = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                Complex c = rho[i, j];
                values[i, j] = part switch
                {
                    DensityPlotPart.Real => c.Real,
                    DensityPlotPart.Imaginary => c.Imaginary,
                    _ => c.Magnitude,
                };
            }
        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap);
        var labels = Enumerable.Range(0, n).Select(i => n == 5 ? ((TesseractService)i).ToString() : i.ToString()).ToArray();
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, labels);
        plot.Axes.Left.SetTicks(positions, labels.Reverse().ToArray());
        plot.Title(title ?? $"ρ ({part.ToString().ToLowerInvariant()}), {n}×{n}");
        return plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
    }
}
