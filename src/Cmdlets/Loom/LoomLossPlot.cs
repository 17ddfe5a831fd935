using Dreamwell.Loom;

namespace Dreamwell.Cmdlets;

/// <summary>Renders loss curves with ScottPlot (kept out of the engine, which has no drawing dependency).</summary>
internal static class LoomLossPlot
{
    public static byte[] Render(LoomCheckpointInfo info, int width, int height, int smoothing)
    {
        var plot = new ScottPlot.Plot();
        var losses = info.LossHistory;
        if (losses.Length > 0)
        {
            int window = Math.Min(smoothing, losses.Length);
            var xs = new double[losses.Length - window + 1];
            var ys = new double[xs.Length];
            double sum = 0;
            for (int i = 0; i < losses.Length; i++)
            {
                sum += losses[i];
                if (i >= window) sum -= losses[i - window];
                if (i >= window - 1) { xs[i - window + 1] = i + 1; ys[i - window + 1] = sum / window; }
            }
            var train = plot.Add.ScatterLine(xs, ys);
            train.LegendText = window > 1 ? $"training loss ({window}-step mean)" : "training loss";
        }
        if (info.ValidationLossHistory.Length > 0)
        {
            var validation = plot.Add.Scatter(
                info.ValidationLossHistory.Select(p => (double)p.Step).ToArray(),
                info.ValidationLossHistory.Select(p => (double)p.Loss).ToArray());
            validation.LegendText = "validation loss";
        }
        var c = info.Config;
        plot.Title($"Loom {c.Dim}d × {c.Blocks} blocks × {c.Heads} heads, context {c.Context} — step {info.Step}");
        plot.XLabel("step");
        plot.YLabel("cross-entropy (nats/char)");
        plot.ShowLegend();
        return plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
    }
}
