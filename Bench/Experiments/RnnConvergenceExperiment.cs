using System.Globalization;
using System.Text;
using Kernels.Bench.Harness;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers;
using Kernels.Training.Trainers.Recurrent;
using Spectre.Console;

namespace Kernels.Bench.Experiments;

/// <summary>
/// <c>experiment rnn-convergence</c>: seed 003's claim that gradient descent with step η ∝ 1/m drives the loss of an
/// over-parameterized ReLU Elman network down linearly, with gradients that neither explode nor vanish across L steps.
/// On sequences meeting the theorem's assumptions (<see cref="SyntheticSequences.Separable{T}"/>), for m ∈ {256, 1024,
/// 4096} and L ∈ {5, 10, 20}, several seeds each: log(loss) against step, the fitted linear rate and its spread over
/// seeds, and ‖∂f/∂h_ℓ‖ across ℓ. Writes <c>docs/results/rnn-convergence.md</c> and two PNG plots; <c>--quick</c>
/// runs a small grid into <c>artifacts/experiments/</c> for CI.
/// </summary>
public static class RnnConvergenceExperiment
{
    private const int Count = 8, InputDimension = 16, OutputDimension = 8;

    /// <summary>
    /// η = κ / (m·L²). The 1/m is the theorem's; the 1/L² and κ are this experiment's choice. A probe at m = 1024 over
    /// 100 steps found the largest stable η·m falling from between 2.6 and 10 at L = 5 to between 0.16 and 0.64 at L = 20,
    /// about as 1/L² (the hidden states' norms, and with them the gradient's Lipschitz constant, grow with L); a full run
    /// at κ = 32 (η·m = 1.28, 0.32, 0.08) still had steps that raised the loss up to 4.5× at L ≥ 10 and diverged at L = 20
    /// for m ≤ 1024 (see the commit that set κ = 6), so κ = 6 leaves a margin of about 5.
    /// </summary>
    private const double StepConstant = 6;

    /// <summary>A run is called linear when every seed contracts at every step and ln f is a line (R² ≥ this) over the second half.</summary>
    private const double LinearRSquared = 0.9;

    private sealed record Result(int M, int L, int Seed, double[] Losses, double[] FirstNorms, double[] LastNorms, StopReason Stop);

    public static int Run(bool quick)
    {
        int[] widths = quick ? [64, 256] : [256, 1024, 4096];
        int[] lengths = quick ? [5, 10] : [5, 10, 20];
        int seeds = quick ? 2 : 3, steps = quick ? 30 : 100;
        string folder = quick ? Path.Combine(RepositoryPaths.Root, "artifacts", "experiments") : Path.Combine(RepositoryPaths.Root, "docs", "results");
        Directory.CreateDirectory(folder);
        string command = "dotnet run -c Release --project Bench -- experiment rnn-convergence" + (quick ? " --quick" : "");
        var runs = new List<Result>();
        var configurations = (from m in widths from l in lengths from s in Enumerable.Range(0, seeds) select (m, l, s)).ToList();
        AnsiConsole.MarkupLine($"[bold]Elman RNN convergence[/] (seed 003): GD with η = {StepConstant}/(m·L²), N = {Count}, d_x = {InputDimension}, d = {OutputDimension}, {steps} steps");
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn()).Start(context =>
        {
            var task = context.AddTask("runs", maxValue: configurations.Count);
            foreach (var (m, l, s) in configurations)
            {
                task.Description = $"m = {m}, L = {l}, seed {s}";
                runs.Add(Train(m, l, s, steps));
                task.Increment(1);
            }
        });
        Write(folder, command, runs, widths, lengths, steps, quick);
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.Combine(folder, "rnn-convergence.md"))} and the plots beside it.");
        // The full grid checks the claim at the largest width and fails when it does not hold there. The quick grid's
        // widths are far below the theorem's, so CI asks only that every run stays finite and lowers the loss.
        return quick
            ? runs.All(r => r.Stop == StopReason.MaxIterations && r.Losses[^1] < r.Losses[0]) ? 0 : 1
            : runs.Where(r => r.M == widths[^1]).GroupBy(r => r.L).All(g => Linear(g.ToList())) ? 0 : 1;
    }

    private static Result Train(int m, int length, int seed, int steps)
    {
        var data = SyntheticSequences.Separable<float>(Count, length, InputDimension, OutputDimension, 300 + (ulong)seed);
        var model = new ElmanRnn<float>(m, InputDimension, OutputDimension, (ulong)seed);
        double eta = StepConstant / ((double)m * length * length);
        var result = new ElmanGradientDescent<float>(new ElmanGradientDescentOptions { StepSize = eta, MaxIterations = steps }).Train(model, data);
        var reports = result.Iterations;
        return new Result(m, length, seed, reports.Select(r => r.Loss).ToArray(), reports[0].HiddenNorms.ToArray(), reports[^1].HiddenNorms.ToArray(), result.StopReason);
    }

    /// <summary>Least-squares slope and R² of ln f over the second half of the steps (the rate after the fast early modes have gone).</summary>
    private static (double Rate, double R2) Fit(double[] losses)
    {
        int from = losses.Length / 2;
        var fit = LinearFit.Line(Enumerable.Range(from, losses.Length - from).Select(t => (double)t).ToList(), losses[from..].Select(f => Math.Log(f)).ToList());
        return (-fit.Coefficients[1], fit.RSquared);
    }

    private static double WorstRatio(double[] losses) => Enumerable.Range(1, losses.Length - 1).Max(t => losses[t] / losses[t - 1]);

    private static bool Linear(IReadOnlyList<Result> group) =>
        group.All(r => r.Stop == StopReason.MaxIterations && r.Losses.All(double.IsFinite) && WorstRatio(r.Losses) < 1 && Fit(r.Losses).R2 >= LinearRSquared);

    private static double Spread(double[] norms) => norms.Max() / norms.Min();

    private static void Write(string folder, string command, List<Result> runs, int[] widths, int[] lengths, int steps, bool quick)
    {
        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        var table = new MarkdownTable("m", "L", "η·m", "Fitted rate per step (mean ± sd over seeds)", "min–max", "R² (worst)", "f_T / f_0 (median)", "Worst f_{t+1}/f_t", "‖∂f/∂h_ℓ‖ max/min over ℓ, step 0 / last", "Linear");
        foreach (int m in widths)
        {
            foreach (int l in lengths)
            {
                var group = runs.Where(r => r.M == m && r.L == l).ToList();
                var fits = group.Select(r => Fit(r.Losses)).ToArray();
                double mean = fits.Average(f => f.Rate);
                double sd = Math.Sqrt(fits.Sum(f => (f.Rate - mean) * (f.Rate - mean)) / Math.Max(1, fits.Length - 1));
                var finals = group.Select(r => r.Losses[^1] / r.Losses[0]).Order().ToArray();
                table.Add(m.ToString(CultureInfo.InvariantCulture), l.ToString(CultureInfo.InvariantCulture), F(StepConstant / (l * l), "G3"),
                    $"{F(mean, "F4")} ± {F(sd, "F4")}", $"{F(fits.Min(f => f.Rate), "F4")}–{F(fits.Max(f => f.Rate), "F4")}", F(fits.Min(f => f.R2), "F3"),
                    F(finals[finals.Length / 2], "E2"), F(group.Max(r => WorstRatio(r.Losses)), "F3"),
                    $"{F(group.Average(r => Spread(r.FirstNorms)), "F2")} / {F(group.Average(r => Spread(r.LastNorms)), "F2")}",
                    Linear(group) ? "yes" : "no" + (group.Any(r => r.Stop != StopReason.MaxIterations) ? $" ({group.First(r => r.Stop != StopReason.MaxIterations).Stop})" : ""));
            }
        }
        int largest = widths[^1];
        var norms = new MarkdownTable("L", "Step", "‖∂f/∂h_1‖", "‖∂f/∂h_{L/2}‖", "‖∂f/∂h_L‖", "max/min over ℓ");
        foreach (int l in lengths)
        {
            var run = runs.First(r => r.M == largest && r.L == l && r.Seed == 0);
            foreach (var (name, values) in new[] { ("0", run.FirstNorms), ($"{run.Losses.Length - 1}", run.LastNorms) })
            {
                norms.Add(l.ToString(CultureInfo.InvariantCulture), name, F(values[0], "G3"), F(values[(l - 1) / 2], "G3"), F(values[^1], "G3"), F(Spread(values), "F2"));
            }
        }

        var lossPlot = new LinePlot($"Elman RNN, GD with η = {StepConstant}/(m·L²), seed 0", "step t", "log10 f_t / f_0");
        foreach (int m in widths)
        {
            foreach (int l in lengths)
            {
                var run = runs.First(r => r.M == m && r.L == l && r.Seed == 0);
                lossPlot.Add($"m = {m}, L = {l}", Enumerable.Range(0, run.Losses.Length).Select(t => (double)t).ToArray(), run.Losses.Select(f => Math.Log10(f / run.Losses[0])).ToArray());
            }
        }
        lossPlot.Save(Path.Combine(folder, "rnn-convergence.png"));
        var normPlot = new LinePlot($"‖∂f/∂h_ℓ‖ across steps ℓ, m = {largest}, seed 0 (normalized by its mean over ℓ)", "ℓ", "‖∂f/∂h_ℓ‖ / mean");
        foreach (int l in lengths)
        {
            var run = runs.First(r => r.M == largest && r.L == l && r.Seed == 0);
            foreach (var (name, values) in new[] { ("t = 0", run.FirstNorms), ($"t = {run.Losses.Length - 1}", run.LastNorms) })
            {
                double average = values.Average();
                normPlot.Add($"L = {l}, {name}", Enumerable.Range(1, l).Select(x => (double)x).ToArray(), values.Select(v => v / average).ToArray());
            }
        }
        normPlot.Save(Path.Combine(folder, "rnn-gradient-norms.png"));

        var text = new StringBuilder();
        text.Append(MachineInfo.Header("Elman RNN convergence (seed 003, Theorems 1–2)", command));
        text.Append($"- Data: `SyntheticSequences.Separable<float>` — N = {Count} sequences, d_x = {InputDimension} (first tokens unit-norm and at least δ = 0.1 apart, later tokens of norm ≤ 1), targets in ℝ^{OutputDimension} with N(0, 1/d) entries; data seed 300 + s, model seed s, s = 0 … {runs.Max(r => r.Seed)}\n");
        text.Append($"- Model: `ElmanRnn<float>` with the paper's initialization (W, A ~ N(0, 2/m), B ~ N(0, 1/d)); only W trains. Trainer: `ElmanGradientDescent`, {steps} full-batch steps, η = {StepConstant}/(m·L²) — ∝ 1/m at each L as the theorem has it; the 1/L² keeps the step stable as L grows (probed: the stable η·m falls about as 1/L²)\n");
        text.Append($"- Fitted rate: −slope of a least-squares line through ln f_t over the second half of the steps (t ≥ {steps / 2}), after the fast early modes; R² of that fit. \"Linear\" means: every seed ran all steps with finite loss, every step lowered the loss (worst f_(t+1)/f_t < 1) and R² ≥ {LinearRSquared}\n");
        text.Append("- ‖∂f/∂h_ℓ‖: the gradient with respect to the hidden state of step ℓ, over the batch; max/min over ℓ near 1 means neither exploding nor vanishing through time (averaged over seeds in the first table)\n");
        text.Append($"- Plots: `rnn-convergence.png` (log10 f_t/f_0 against t), `rnn-gradient-norms.png` (‖∂f/∂h_ℓ‖ across ℓ at the first and last step, m = {largest})\n");
        text.Append("- No timings: the claim is about steps, not seconds (the command runs without the bench lock)\n\n");
        text.Append(table.ToMarkdown());
        text.Append($"\n‖∂f/∂h_ℓ‖ across ℓ, m = {largest}, seed 0:\n\n");
        text.Append(norms.ToMarkdown());
        if (quick)
        {
            text.Append("\n(quick grid for CI; the full grid is in docs/results/rnn-convergence.md)\n");
        }
        File.WriteAllText(Path.Combine(folder, "rnn-convergence.md"), text.ToString());
        table.Render();
        norms.Render();
    }
}
