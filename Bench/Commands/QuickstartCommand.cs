using Kernels.Bench.Harness;
using Kernels.Simd;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers;
using Kernels.Training.Trainers.GaussNewton;
using Spectre.Console;

namespace Kernels.Bench.Commands;

/// <summary>
/// <c>quickstart</c>, the README's main job (about a minute on two cores): trains the 2-layer shifted-ReLU net of
/// seed 002 on a built-in synthetic problem with sublinear Gauss-Newton (threshold forest) and with dense
/// Gauss-Newton from the same seed, live; prints both per-iteration tables and the speed-up, plots the residuals,
/// and saves, reloads and re-checks a checkpoint. The kernel showcase that used to run here is <c>showcase</c>.
/// </summary>
public static class QuickstartCommand
{
    private const int Points = 16;
    private const int Dimension = 128;
    private const int Width = 1 << 20;
    private const int Iterations = 6;
    private const ulong Seed = 2026;

    public static int Run()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 150); // a log file has no terminal width to respect
        }
        AnsiConsole.MarkupLine($"[bold]Kernels quickstart[/] on {Markup.Escape(MachineInfo.Cpu)}, {Environment.ProcessorCount} cores; SIMD: {Markup.Escape(SimdCapabilities.Describe())}");
        AnsiConsole.MarkupLine($"Seed 002: f(x) = (1/√m)·Σ_r a_r·max(⟨w_r, x⟩ − b, 0), m = 2²⁰ neurons, d = {Dimension}, n = {Points} points on the unit sphere, " +
            $"b = √(0.48·ln m) = {TwoLayerShiftedRelu.DefaultShift(Width):F3}; labels from a random teacher net (seed {Seed}).");
        var data = SyntheticRegression.Sphere(Points, Dimension, Seed);
        var options = new GaussNewtonOptions { MaxIterations = Iterations };
        WarmUp(data, options);

        var sublinearModel = new TwoLayerShiftedRelu(Width, Dimension, Seed);
        var sublinear = TrainLive("Sublinear Gauss-Newton (threshold forest, Algorithm 5)", new GaussNewtonSublinear(options), sublinearModel, data);
        var denseModel = new TwoLayerShiftedRelu(Width, Dimension, Seed);
        var dense = TrainLive("Dense Gauss-Newton (all m·n inner products each iteration)", new GaussNewtonDense(options), denseModel, data);

        Compare(sublinear, dense, sublinearModel, denseModel);
        Plot(sublinear, dense);
        bool reloaded = QuickstartCheckpoint.SaveReloadAndCheck(sublinearModel, data);
        AnsiConsole.MarkupLine("Next: [bold]-- experiment sublinear-scaling --quick[/], the kernel [bold]-- showcase[/], or [bold]-- compare kernels[/] (needs bash Bench/peers/install.sh).");
        return reloaded && sublinear.StopReason == StopReason.MaxIterations && dense.StopReason == StopReason.MaxIterations ? 0 : 1;
    }

    /// <summary>
    /// Both trainers once on a small net (m = 2¹⁶) before the timed runs, so that those run the code a long training
    /// would: .NET compiles a method first without optimizations and recompiles it only after enough calls and a pause,
    /// and the few, long iterations at m = 2²⁰ would otherwise spend their first ones in that code (the sublinear
    /// update about 4× slower, the speed-up shown near 0.8× instead of about 2×).
    /// </summary>
    private static void WarmUp(RegressionSet data, GaussNewtonOptions options)
    {
        AnsiConsole.MarkupLine("Warm-up: both trainers on m = 2¹⁶ first, so that the timed runs execute optimized code…");
        for (int round = 0; round < WarmUpRounds; round++)
        {
            new GaussNewtonSublinear(options).Train(new TwoLayerShiftedRelu(WarmUpWidth, Dimension, Seed), data);
            new GaussNewtonDense(options).Train(new TwoLayerShiftedRelu(WarmUpWidth, Dimension, Seed), data);
            Thread.Sleep(WarmUpPauseMilliseconds); // the runtime recompiles hot methods in the background after a pause in new compilations
        }
    }

    private const int WarmUpWidth = 1 << 16;
    private const int WarmUpRounds = 3;
    private const int WarmUpPauseMilliseconds = 200;

    private static TrainingResult<GaussNewtonIteration> TrainLive(string title, ITrainer<TwoLayerShiftedRelu, RegressionSet, GaussNewtonIteration> trainer,
        TwoLayerShiftedRelu model, RegressionSet data)
    {
        AnsiConsole.MarkupLine($"\n[bold]{Markup.Escape(title)}[/]");
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string column in new[] { "iter", "‖f − y‖", "ratio", "mean |Q_i|", "changed", "query", "form+solve", "update", "total" })
        {
            table.AddColumn(column);
        }
        TrainingResult<GaussNewtonIteration>? result = null;
        if (Console.IsOutputRedirected)
        {
            // A log has no live display to redraw: print the table once, at the end.
            result = trainer.Train(model, data, new LiveRows(table, null));
            AnsiConsole.Write(table);
        }
        else
        {
            AnsiConsole.Live(table).Start(context => result = trainer.Train(model, data, new LiveRows(table, context)));
        }
        AnsiConsole.MarkupLine($"setup (first products or tree build): {Durations.Format(result!.Setup)}; stopped: {result.StopReason}");
        return result;
    }

    private static void Compare(TrainingResult<GaussNewtonIteration> sublinear, TrainingResult<GaussNewtonIteration> dense,
        TwoLayerShiftedRelu sublinearModel, TwoLayerShiftedRelu denseModel)
    {
        int count = Math.Min(sublinear.Iterations.Count, dense.Iterations.Count);
        var speedups = new double[count];
        double worstResidualGap = 0;
        for (int t = 0; t < count; t++)
        {
            speedups[t] = dense.Iterations[t].Total / sublinear.Iterations[t].Total;
            worstResidualGap = Math.Max(worstResidualGap, Math.Abs(dense.Iterations[t].ResidualAfter - sublinear.Iterations[t].ResidualAfter) / dense.Iterations[t].ResidualBefore);
        }
        double difference = 0, norm = 0;
        var a = sublinearModel.Weights.Data;
        var b = denseModel.Weights.Data;
        for (int c = 0; c < a.Length; c++)
        {
            difference += (double)(a[c] - b[c]) * (a[c] - b[c]);
            norm += (double)b[c] * b[c];
        }
        Array.Sort(speedups);
        AnsiConsole.MarkupLine($"\n[bold]Sublinear vs dense[/]: median speed-up per iteration [green]{speedups[count / 2]:F2}×[/] " +
            $"(range {speedups[0]:F2}–{speedups[^1]:F2}×); same iterates: ‖W_sub − W_dense‖/‖W‖ = {Math.Sqrt(difference / norm):E1}, " +
            $"largest residual gap {worstResidualGap:E1} of ‖f_t − y‖.");
    }

    private static void Plot(TrainingResult<GaussNewtonIteration> sublinear, TrainingResult<GaussNewtonIteration> dense)
    {
        var plot = new LinePlot("Gauss-Newton on the 2-layer shifted-ReLU net (m = 2^20, n = 16, d = 128)", "iteration", "log10 ‖f − y‖");
        foreach (var (name, run) in new[] { ("sublinear (forest)", sublinear), ("dense", dense) })
        {
            var xs = new List<double> { 0 };
            var ys = new List<double> { Math.Log10(run.Iterations[0].ResidualBefore) };
            foreach (var report in run.Iterations)
            {
                xs.Add(report.Iteration + 1);
                ys.Add(Math.Log10(Math.Max(report.ResidualAfter, 1e-30)));
            }
            plot.Add(name, xs, ys);
        }
        string path = plot.Save(Path.Combine(RepositoryPaths.Root, "artifacts", "quickstart", "residual.png"));
        AnsiConsole.MarkupLine($"Residual plot: {Markup.Escape(path)}");
    }

    /// <summary>Adds one table row per reported iteration and refreshes the live display, if there is one.</summary>
    private sealed class LiveRows(Table table, LiveDisplayContext? context) : IProgress<GaussNewtonIteration>
    {
        public void Report(GaussNewtonIteration r)
        {
            table.AddRow($"{r.Iteration}", $"{r.ResidualBefore:G3} → {r.ResidualAfter:G3}", $"{r.Ratio:F3}", $"{r.ActiveMean:F0}",
                $"{r.ChangedNeurons:N0}", Durations.Format(r.Query), Durations.Format(r.Form + r.Solve),
                Durations.Format(r.Update), Durations.Format(r.Total));
            context?.Refresh();
        }
    }
}
