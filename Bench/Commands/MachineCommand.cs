using Kernels.Bench.Harness;
using Spectre.Console;

namespace Kernels.Bench.Commands;

/// <summary><c>machine</c>: measures the FMA and memory-bandwidth limits kernels are quoted against, and records them.</summary>
public static class MachineCommand
{
    public static int Run()
    {
        AnsiConsole.MarkupLine("[bold]machine[/]: measuring FMA throughput and memory bandwidth (about 30 s)…");
        var limits = MachineLimits.MeasureAll();
        var table = new MarkdownTable("Limit", "Value", "How");
        table.Add("FMA peak, float, one core", $"{limits.FloatGflopsPerCore:F1} GFLOP/s", "12 independent 512-bit FMA chains");
        table.Add("FMA peak, double, one core", $"{limits.DoubleGflopsPerCore:F1} GFLOP/s", "same loop on doubles");
        table.Add($"FMA peak, float, {Environment.ProcessorCount} cores", $"{limits.FloatGflopsAllCores:F1} GFLOP/s", "the loop on every core at once (0.2 s rounds, started together)");
        table.Add($"FMA peak, double, {Environment.ProcessorCount} cores", $"{limits.DoubleGflopsAllCores:F1} GFLOP/s", "same, on doubles");
        table.Add("Read bandwidth, one core", $"{limits.ReadGBps:F1} GB/s", $"XOR-reduce a {MachineLimits.BandwidthBytes >> 20} MiB buffer");
        table.Add($"Read bandwidth, {Environment.ProcessorCount} cores", $"{limits.ReadGBpsAllCores:F1} GB/s", "each core XOR-reduces its part of the buffer, started together");
        table.Add("Read+write bandwidth, one core", $"{limits.ReadWriteGBps:F1} GB/s", "y[i] += x[i] over two buffers (counts 3 streams)");
        table.Render();
        string markdown = MachineInfo.Header("Machine limits", "dotnet run -c Release --project Bench -- machine") + "\n" + table.ToMarkdown();
        string file = Path.Combine(MachineInfo.ResultsDirectory(), "machine.md");
        File.WriteAllText(file, markdown);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetRelativePath(RepositoryPaths.Root, file))}[/]");
        return 0;
    }
}
