using System.Globalization;
using System.Text;
using Kernels.Bench.Harness;
using Kernels.Training.Data;
using Spectre.Console;

namespace Kernels.Bench.Experiments.Sketching;

/// <summary>
/// <c>experiment sketching</c>: seed 001's three sketching claims, measured through the library's public API —
/// bucket loads against Bellare–Rompel (Lemma 4.1), subspace distortion against s = C·d/ε² (Theorem 3.2) and the
/// output error of a sketched layer against s (Theorems 3.4–3.6) — each cell repeated over several seeds. Statistics,
/// not timings: the same seeds give the same tables on any machine and thread count. Writes
/// <c>docs/results/sketching.md</c> and its PNGs; <c>--quick</c> runs a small grid into <c>artifacts/experiments/</c>.
/// </summary>
public static class SketchingExperiment
{
    /// <summary>Runs the experiment and writes its results; returns the process exit code.</summary>
    public static int Run(bool quick)
    {
        var settings = ExperimentSettings.For(quick);
        string folder = quick ? Path.Combine(RepositoryPaths.Root, "artifacts", "experiments") : Path.Combine(RepositoryPaths.Root, "docs", "results");
        Directory.CreateDirectory(folder);
        string command = "dotnet run -c Release --project Bench -- experiment sketching" + (quick ? " --quick" : "");
        int[] dimensions = quick ? [20, 50] : [20, 30, 40, 50];
        string mnistPackage = Path.Combine(RepositoryPaths.Root, "data", "mnist", "package");
        ClassificationSet digits;
        try
        {
            digits = MnistDigits.Load(mnistPackage);
        }
        catch (FileNotFoundException missing)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(missing.Message)}[/]");
            return 1;
        }
        var sources = new List<SubspaceSource>
        {
            quick ? SubspaceSource.Random(2048, [256, 512, 1024]) : SubspaceSource.Random(8192, [256, 512, 1024, 2048, 4096]),
            SubspaceSource.Mnist(digits, quick ? [200, 400, 784] : [100, 150, 200, 300, 400, 600, 784]),
        };
        var sections = new List<ClaimSection>();
        var started = DateTime.UtcNow;
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(progress =>
        {
            sections.Add(BucketLoadClaim.Run(settings, progress, folder));
            sections.Add(SubspaceDistortionClaim.Run(settings, sources, dimensions, progress, folder));
            sections.Add(SketchedLayerClaim.Run(settings, progress, folder));
        });

        var text = new StringBuilder();
        text.Append(MachineInfo.Header("Sketching claims of seed 001 (Lemma 4.1, Theorem 3.2, Theorems 3.4–3.6)", command));
        text.Append(CultureInfo.InvariantCulture, $"- Seeds per cell: {settings.Seeds.Length} ({string.Join(", ", settings.Seeds)}); statistics, not timings (run time {(DateTime.UtcNow - started).TotalSeconds:F0} s, load average at the end {MachineInfo.LoadAverage()})\n\n");
        text.Append("## Verdicts\n\n");
        foreach (string verdict in sections.SelectMany(s => s.Verdicts))
        {
            text.Append("- ").Append(verdict).Append('\n');
        }
        text.Append('\n');
        foreach (var section in sections)
        {
            text.Append(section.Markdown).Append('\n');
        }
        string path = Path.Combine(folder, "sketching.md");
        File.WriteAllText(path, text.ToString());
        foreach (string verdict in sections.SelectMany(s => s.Verdicts))
        {
            AnsiConsole.WriteLine(verdict);
        }
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(path)} and its plots.");
        return 0;
    }
}
