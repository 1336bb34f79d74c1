using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Kernels.Training.Checkpoints;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers.Recurrent;
using Spectre.Console;

namespace Kernels.Bench.Commands;

/// <summary>
/// <c>compare rnn</c>: seed 003's ReLU Elman network against <c>torch.nn.RNN(nonlinearity='relu', bias=False)</c> with a
/// frozen linear output, on the same weights (read by the peer from our checkpoint) and the same sequences. First the
/// agreement of the loss and ∂f/∂W in float32 and float64, then the time of one training step (gradient of W and the
/// update) at L = 32, N = 64, d_x = 64, m = 512, d = 64 with 2 threads on each side, alternating round by round.
/// Writes <c>Bench/results/&lt;cpu&gt;/compare-rnn.md</c>.
/// </summary>
public static class CompareRnnCommand
{
    private const int Length = 32, Count = 64, InputDimension = 64, Hidden = 512, OutputDimension = 64, Threads = 2, Rounds = 5;
    private const ulong Seed = 3003;

    public static int Run()
    {
        string folder = Path.Combine(RepositoryPaths.Root, "artifacts", "compare-rnn");
        Directory.CreateDirectory(folder);
        var blas = new BlasOptions { MaxThreads = Threads };

        AnsiConsole.MarkupLine($"[bold]compare rnn[/]: L = {Length}, N = {Count}, d_x = {InputDimension}, m = {Hidden}, d = {OutputDimension}; agreement first…");
        var agreement = new MarkdownTable("Precision", "Loss (ours)", "Loss (PyTorch)", "\\|Δf\\| / \\|f\\|", "‖ΔdW‖ / ‖dW‖", "Target", "Met");
        bool agreementMet = true;
        agreementMet &= Agree<float>(folder, blas, 1e-4, agreement);
        agreementMet &= Agree<double>(folder, blas, 1e-10, agreement);
        agreement.Render();

        var (modelPath, dataPath) = Files<float>(folder, blas);
        var ours = new List<double>();
        // PyTorch at its best: with the default OpenMP wait policy, torch's spinning OpenMP threads starve OpenBLAS's
        // pthreads on 2 cores (about 10× slower), so each round times both configurations that avoid it, and the
        // faster median is the peer's figure.
        string threads = Threads.ToString(CultureInfo.InvariantCulture);
        var configurations = new (string Name, Dictionary<string, string> Environment)[]
        {
            ("OMP_WAIT_POLICY=PASSIVE, OpenBLAS 2 threads", new() { ["OMP_NUM_THREADS"] = threads, ["OPENBLAS_NUM_THREADS"] = threads, ["OMP_WAIT_POLICY"] = "PASSIVE" }),
            ("OpenBLAS 1 thread, torch's OpenMP 2 threads", new() { ["OMP_NUM_THREADS"] = threads, ["OPENBLAS_NUM_THREADS"] = "1" }),
        };
        var peer = configurations.Select(_ => new List<double>()).ToArray();
        string capability = "not reported";
        for (int round = 1; round <= Rounds; round++)
        {
            AnsiConsole.MarkupLine($"  round {round}/{Rounds}: ours…");
            ours.Add(OurStep(blas));
            for (int c = 0; c < configurations.Length; c++)
            {
                AnsiConsole.MarkupLine($"  round {round}/{Rounds}: PyTorch, {configurations[c].Name}…");
                var result = PeerRunner.Run("rnn.py", ["time", modelPath, dataPath, threads], configurations[c].Environment);
                peer[c].Add(result["seconds_per_step"].GetDouble());
                capability = result["cpu_capability"].GetString() ?? capability;
            }
        }
        double mine = Measure.Median(ours), flops = StepFlops();
        double theirs = peer.Select(Measure.Median).Min(), ratio = theirs / mine;
        // The step is compute-bound, so its floor is its flops at the FMA peak of all cores, measured in this run.
        AnsiConsole.MarkupLine("  FMA peak of all cores…");
        double peak = MachineLimits.GflopsAllCores<float>(), floor = flops / (peak * 1e9);
        var timing = new MarkdownTable("Step (float32, 2 threads)", "Ours", "PyTorch", "Ratio (PyTorch / ours)", "Ours GFLOP/s", "FMA floor", "Best ratio the floor allows", "Target", "Met");
        for (int c = 0; c < configurations.Length; c++)
        {
            double median = Measure.Median(peer[c]);
            bool best = median == theirs;
            timing.Add($"L = {Length}, N = {Count}, d_x = {InputDimension}, m = {Hidden}, d = {OutputDimension}; PyTorch with {configurations[c].Name}{(best ? " (its best)" : "")}",
                Durations.Format(mine), Durations.Format(median), $"{median / mine:F2}×", $"{flops / mine / 1e9:F0}", Durations.Format(floor), $"{median / floor:F2}×",
                best ? "≥ 3×" : "—", best ? (ratio >= 3 ? "yes" : "NO") : "—");
        }
        timing.Render();

        string command = "dotnet run -c Release --project Bench -- compare rnn";
        var versions = PeerRunner.Run("version.py", []);
        string markdown = MachineInfo.Header("compare rnn: Elman RNN (seed 003) vs PyTorch", command)
            + $"- Peer: PyTorch {versions["torch"].GetString()}, `torch.nn.RNN(nonlinearity='relu', bias=False)` + frozen `Linear(bias=False)`, weights read from our checkpoint (`Bench/peers/rnn.py`); CPU capability {capability}; `torch.set_num_threads({Threads})`, `OMP_NUM_THREADS` = {Threads}; timed in two configurations (below), the faster one counts\n"
            + PeerRunner.KernelLines(versions)
            + $"- Data: `SyntheticSequences.Separable` (unit-norm first tokens, later tokens of norm ≤ 1, N(0, 1/d) targets), model `ElmanRnn` from seed {Seed} (W, A ~ N(0, 2/m), B ~ N(0, 1/d))\n"
            + $"- Step: ours is one `ElmanGradientDescent` iteration (BPTT for ∂f/∂W, then W ← W − η·∂f/∂W, checked finite), the median of iterations 3–12 of each round; PyTorch's is zero_grad, forward, loss, backward and `SGD.step()` with only `weight_hh_l0` requiring a gradient, a median of 11 samples. {Rounds} rounds alternate ours and the peer; each figure is the median over rounds\n"
            + $"- Work per step: {flops / 1e9:F2} GFLOP (forward 2·L·N·m·(m + d_x) + output 2·(L−1)·N·m·d, backward 2·(L−1)·N·m·(2m + d) + 2·(L−1)·N·d·m)\n"
            + $"- FMA peak of both cores, measured in this run after the timing rounds (`MachineLimits.GflopsAllCores`): {peak:F1} GFLOP/s float, so no implementation can take a step in less than {Durations.Format(floor)} here (the FMA floor)\n"
            + $"- Load average (1, 5, 15 min) at the end of the run: {MachineInfo.LoadAverage()}\n\n"
            + "## Agreement (loss and ∂f/∂W, same weights and data)\n\n" + agreement.ToMarkdown()
            + "\n## One training step\n\n" + timing.ToMarkdown();
        string file = Path.Combine(MachineInfo.ResultsDirectory(), "compare-rnn.md");
        File.WriteAllText(file, markdown);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetRelativePath(RepositoryPaths.Root, file))}[/]");
        return agreementMet ? 0 : 1;
    }

    /// <summary>Floating-point operations of one step: the forward pass, the residuals, BPTT and ∂f/∂W (multiply-adds × 2).</summary>
    private static double StepFlops()
    {
        double l = Length, n = Count, m = Hidden, dx = InputDimension, d = OutputDimension;
        return 2 * l * n * m * (m + dx) + 2 * (l - 1) * n * m * d + 2 * (l - 1) * n * m * (2 * m + d);
    }

    /// <summary>Our loss and ∂f/∂W against PyTorch's on the same files; adds a row and returns whether both are within the target.</summary>
    private static bool Agree<T>(string folder, BlasOptions blas, double target, MarkdownTable table) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (modelPath, dataPath) = Files<T>(folder, blas);
        var result = PeerRunner.Run("rnn.py", ["check", modelPath, dataPath]);
        double lossRelative = result["loss_relative"].GetDouble(), gradRelative = result["grad_relative"].GetDouble();
        bool met = lossRelative <= target && gradRelative <= target;
        var ours = ElmanRnn<T>.LoadCheckpoint(modelPath);
        double ourLoss = ours.Loss(Data<T>(), new ElmanRnnWorkspace<T>(ours, Count, Length), blas);
        table.Add(typeof(T) == typeof(float) ? "float32" : "float64", ourLoss.ToString("G10", CultureInfo.InvariantCulture),
            result["loss"].GetDouble().ToString("G10", CultureInfo.InvariantCulture), $"{lossRelative:E1}", $"{gradRelative:E1}", $"≤ {target:E0}", met ? "yes" : "NO");
        return met;
    }

    /// <summary>Writes the model checkpoint and a data file (sequences time-major, our loss and ∂f/∂W) for the peer.</summary>
    private static (string Model, string Data) Files<T>(string folder, BlasOptions blas) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = typeof(T) == typeof(float) ? "f32" : "f64";
        var model = new ElmanRnn<T>(Hidden, InputDimension, OutputDimension, Seed);
        var data = Data<T>();
        var gradient = new ElmanRnnGradient<T>(model, Length);
        double loss = model.Gradient(data, new ElmanRnnWorkspace<T>(model, Count, Length), gradient, blas);
        string modelPath = Path.Combine(folder, $"model-{name}.safetensors"), dataPath = Path.Combine(folder, $"data-{name}.safetensors");
        model.SaveCheckpoint(modelPath);
        CheckpointFile.Save(dataPath, new Checkpoint("elman-rnn-sequences", Seed,
            [new("L", Length.ToString(CultureInfo.InvariantCulture)), new("N", Count.ToString(CultureInfo.InvariantCulture))],
            [
                CheckpointTensor.Create<T>("inputs", [Length * Count, InputDimension], data.Inputs.Data.ToArray()),
                CheckpointTensor.Create<T>("targets", [(Length - 1) * Count, OutputDimension], data.Targets.Data.ToArray()),
                CheckpointTensor.Create<double>("ours_loss", [1], new[] { loss }),
                CheckpointTensor.Create<T>("ours_dW", [Hidden, Hidden], gradient.Recurrent.AsMemory()),
            ]));
        return (modelPath, dataPath);
    }

    private static SequenceSet<T> Data<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        SyntheticSequences.Separable<T>(Count, Length, InputDimension, OutputDimension, Seed);

    /// <summary>Median seconds of our training steps 3–12 (the first ones take Gemm's and the JIT's one-time costs).</summary>
    private static double OurStep(BlasOptions blas)
    {
        var model = new ElmanRnn<float>(Hidden, InputDimension, OutputDimension, Seed);
        var run = new ElmanGradientDescent<float>(new ElmanGradientDescentOptions { StepSize = 1e-6, MaxIterations = 12, Blas = blas }).Train(model, Data<float>());
        return Measure.Median(run.Iterations.Skip(2).Select(r => r.Elapsed.TotalSeconds));
    }
}
