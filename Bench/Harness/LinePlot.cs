using ScottPlot;

namespace Kernels.Bench.Harness;

/// <summary>Line plots saved as PNG through ScottPlot, one call per figure, for the quickstart and the experiments.</summary>
public sealed class LinePlot(string title, string xLabel, string yLabel)
{
    private readonly Plot _plot = CreatePlot(title, xLabel, yLabel);

    /// <summary>Adds a line with markers and a legend entry.</summary>
    public void Add(string label, IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        var line = _plot.Add.Scatter(xs.ToArray(), ys.ToArray());
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = 6;
    }

    /// <summary>Writes the figure to <paramref name="path"/> (folders created), 900 × 540 pixels.</summary>
    public string Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _plot.ShowLegend(Alignment.UpperRight);
        _plot.SavePng(path, 900, 540);
        return path;
    }

    private static Plot CreatePlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }
}
