using System.Diagnostics;
using System.Globalization;
using Kernels.Bench.Harness;
using Kernels.Randomness;
using Kernels.Solvers;
using Kernels.Training.Ntk;
using Spectre.Console;

namespace Kernels.Bench.Commands;

/// <summary>
/// <c>compare ntk</c>: exact NTK kernel ridge regression against NumPy (kernel build) + scikit-learn
/// <c>KernelRidge(kernel='precomputed')</c> on the same data, λ and 10 right-hand sides in double, ours and the peer
/// alternating for <see cref="Rounds"/> rounds (predictions must agree to 1e-6, target ≥ 4× faster for build + solve);
/// then the Nyström-PCG target: iterations to 1e-8 with the Nyström preconditioner against plain CG on K + λI.
/// Writes <c>Bench/results/&lt;cpu&gt;/compare-ntk.md</c>.
/// </summary>
public static class CompareNtkCommand
{
    private const int Dimension = 784;
    private const int TestPoints = 1000;
    private const int Classes = 10;
    private const double Lambda = 0.1;
    private const int Rounds = 5;
    private const double PcgTolerance = 1e-8;
    private const int PlainCgCap = 1000;

    private sealed record Timing(double Build, double Solve, double Predict, string Path);

    /// <summary>Runs the comparison at <paramref name="n"/> training points and the PCG target at <paramref name="pcgN"/>.</summary>
    public static int Run(int n, int pcgN, int rank)
    {
        int threads = Environment.ProcessorCount;
        string loadAtStart = MachineInfo.LoadAverage();
        AnsiConsole.MarkupLine($"[bold]compare ntk[/]: n = {n}, d = {Dimension}, {TestPoints} test points, {Classes} classes, λ = {Lambda}");
        double[] all = LinalgProblems.Hashed(n + TestPoints, Dimension);
        var train = new ReadOnlyMemory<double>(all, 0, n * Dimension);
        var test = new ReadOnlyMemory<double>(all, n * Dimension, TestPoints * Dimension);
        double[] targets = new double[n * Classes];
        for (int i = 0; i < n; i++)
        {
            targets[i * Classes + (37 * i % 101) % Classes] = 1;
        }
        string output = Path.Combine(Path.GetTempPath(), $"compare-ntk-{Environment.ProcessId}.bin");
        var ours = new List<Timing>();
        var peer = new List<Timing>();
        double[] predictions = new double[TestPoints * Classes];
        double[] peerPredictions = [];
        Fit(200, all, targets, predictions); // warm-up: JIT and thread pool
        for (int round = 1; round <= Rounds; round++)
        {
            AnsiConsole.MarkupLine($"  round {round}/{Rounds}: ours…");
            ours.Add(Fit(n, all, targets, predictions));
            AnsiConsole.MarkupLine($"    build {Durations.Format(ours[^1].Build)}, solve {Durations.Format(ours[^1].Solve)}, predict {Durations.Format(ours[^1].Predict)}; {Markup.Escape(ours[^1].Path)}");
            AnsiConsole.MarkupLine($"  round {round}/{Rounds}: NumPy + scikit-learn with {threads} OpenBLAS thread(s)…");
            var results = PeerRunner.Run("ntk.py", [$"{n}", $"{TestPoints}", $"{Dimension}", $"{Classes}", Lambda.ToString("R", CultureInfo.InvariantCulture), output],
                new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture) });
            peer.Add(new Timing(results["build"].GetDouble(), results["fit"].GetDouble(), results["predict"].GetDouble(), "LAPACK Cholesky"));
            AnsiConsole.MarkupLine($"    build {Durations.Format(peer[^1].Build)}, KernelRidge fit {Durations.Format(peer[^1].Solve)}, predict {Durations.Format(peer[^1].Predict)}");
            byte[] bytes = File.ReadAllBytes(output);
            peerPredictions = new double[bytes.Length / sizeof(double)];
            Buffer.BlockCopy(bytes, 0, peerPredictions, 0, bytes.Length);
        }
        File.Delete(output);
        // Where the build's time goes: the same Gram product as one full Gemm (2n²d flops; the build multiplies only the
        // lower block triangle, about half), timed once, best of two.
        var gramX = new ReadOnlyMatrixView<double>(all, n, Dimension);
        var gram = new Matrix<double>(n, n);
        double gemm = double.PositiveInfinity;
        for (int repeat = 0; repeat < 2; repeat++)
        {
            var gemmClock = Stopwatch.StartNew();
            Kernels.Blas.Level3.Gemm(Kernels.Blas.Transpose.None, Kernels.Blas.Transpose.Transposed, 1.0, gramX, gramX, 0.0, gram.View);
            gemm = Math.Min(gemm, gemmClock.Elapsed.TotalSeconds);
        }
        double gemmRate = 2.0 * n * n * Dimension / gemm / 1e9;
        double difference = 0, scale = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            difference = Math.Max(difference, Math.Abs(predictions[i] - peerPredictions[i]));
            scale = Math.Max(scale, Math.Abs(peerPredictions[i]));
        }
        double relative = difference / scale;

        double ourBuild = Measure.Median(ours.Select(t => t.Build)), ourSolve = Measure.Median(ours.Select(t => t.Solve)), ourPredict = Measure.Median(ours.Select(t => t.Predict));
        double peerBuild = Measure.Median(peer.Select(t => t.Build)), peerSolve = Measure.Median(peer.Select(t => t.Solve)), peerPredict = Measure.Median(peer.Select(t => t.Predict));
        double ourTotal = Measure.Median(ours.Select(t => t.Build + t.Solve)), peerTotal = Measure.Median(peer.Select(t => t.Build + t.Solve));
        var table = new MarkdownTable("Step", "Ours", "NumPy / scikit-learn", "Peer time ÷ ours");
        table.Add("K(X, X) build", Durations.Format(ourBuild), Durations.Format(peerBuild), $"{peerBuild / ourBuild:F2}×");
        table.Add("Solve (K + λI)α = Y, 10 columns", Durations.Format(ourSolve), Durations.Format(peerSolve), $"{peerSolve / ourSolve:F2}×");
        table.Add("**Build + solve**", Durations.Format(ourTotal), Durations.Format(peerTotal), $"**{peerTotal / ourTotal:F2}×**");
        table.Add("Predict 1,000 test points (K(X_test, X)·α)", Durations.Format(ourPredict), Durations.Format(peerPredict), $"{peerPredict / ourPredict:F2}×");
        table.Render();
        // Flop bounds at the FMA peaks of all cores, measured here: the lower-triangle Gram n²d and the Cholesky n³/3,
        // in double, or with the factor in float (the mixed-precision solver).
        AnsiConsole.MarkupLine("FMA peaks of all cores…");
        double doublePeak = MachineLimits.GflopsAllCores<double>() * 1e9, floatPeak = MachineLimits.GflopsAllCores<float>() * 1e9;
        double gramBound = (double)n * n * Dimension / doublePeak, choleskyDouble = (double)n * n * n / 3 / doublePeak, choleskyFloat = (double)n * n * n / 3 / floatPeak;
        string verdict = $"Build + solve: peer ÷ ours = **{peerTotal / ourTotal:F2}×** (target ≥ 4×: {Met(peerTotal / ourTotal >= 4)}); " +
            $"predictions agree to max |Δ| / max |f| = {relative:E2} (target ≤ 1e-6: {Met(relative <= 1e-6)}). " +
            $"Solve path: {ours[^1].Path}. " +
            $"Flop bounds at the FMA peaks of all cores measured in this run ({doublePeak / 1e9:F0} GFLOP/s double, {floatPeak / 1e9:F0} float): Gram (lower triangle, n²d) ≥ {Durations.Format(gramBound)}, Cholesky n³/3 ≥ {Durations.Format(choleskyDouble)} in double or ≥ {Durations.Format(choleskyFloat)} in float; " +
            $"so build + solve ≥ {Durations.Format(gramBound + choleskyDouble)} in pure double and ≥ {Durations.Format(gramBound + choleskyFloat)} with a float factor — " +
            $"against the peer's {Durations.Format(peerTotal)} here, at most {peerTotal / (gramBound + choleskyDouble):F1}× and {peerTotal / (gramBound + choleskyFloat):F1}×. " +
            $"Gram reference: a full Gemm X·Xᵀ ({2.0 * n * n * Dimension / 1e9:F1} GFLOP) took {Durations.Format(gemm)} = {gemmRate:F0} GFLOP/s, " +
            $"so half of it (the build's lower triangle) is ~{Durations.Format(gemm / 2)} of the build's {Durations.Format(ourBuild)}.";
        AnsiConsole.MarkupLine(Markup.Escape(verdict));

        AnsiConsole.MarkupLine($"[bold]PCG target[/]: n = {pcgN}, Nyström rank {rank}, tolerance {PcgTolerance:0e0}…");
        var pcg = PcgTarget(pcgN, rank);
        AnsiConsole.MarkupLine(Markup.Escape(pcg.Verdict));

        string command = $"dotnet run -c Release --project Bench -- compare ntk --n {n} --pcg-n {pcgN} --rank {rank}";
        var versions = PeerRunner.Run("version.py", []);
        string markdown = MachineInfo.Header("compare ntk: exact NTK kernel ridge regression vs NumPy + scikit-learn; Nyström PCG vs CG", command)
            + $"- Peers: NumPy {versions["numpy"].GetString()}, scikit-learn `KernelRidge(kernel='precomputed')` on Debian's OpenBLAS (`OPENBLAS_NUM_THREADS={threads}`)\n"
            + PeerRunner.KernelLines(versions)
            + $"- Load average (1, 5, 15 min) at the start and end of the run: {loadAtStart}; {MachineInfo.LoadAverage()} (shared machine: ours and the peer alternate)\n"
            + $"- Data: the hashed {n + TestPoints} × {Dimension} matrix of `LinalgProblems.Hashed` (entries in [−0.5, 0.5), the same bits on both sides); the first {n} rows train, the last {TestPoints} test; "
            + $"targets one-hot over {Classes} classes (class of point i = ((37·i) mod 101) mod {Classes}); λ = {Lambda}; double precision\n"
            + "- Ours: `NeuralTangentKernel.BuildLower` (one Gemm per block row of the lower triangle, each transformed by the SIMD arccos on both cores while in cache; no mirroring, since the solver reads only the lower triangle) and `KernelRidge.Fit` with `KernelRidgeSolver.MixedPrecisionCholesky` (Cholesky of a float copy of K + λI, "
            + "then refinement with the double K's lower triangle (symmetric residual products) until the residual is at double-precision level; it falls back to the double Cholesky when float does not suffice, and the solve path is reported below); peer: the same formula in NumPy (`X @ X.T`, `np.arccos`) and `KernelRidge.fit` (LAPACK Cholesky through `scipy.linalg.solve(assume_a='pos')`)\n"
            + $"- {Rounds} rounds, ours and the peer alternating, one run each per round; medians over rounds\n\n"
            + "## Exact KRR, n = " + n.ToString("N0", CultureInfo.InvariantCulture) + "\n\n" + table.ToMarkdown() + $"\n{verdict}\n\n"
            + $"Per round (build + solve): ours {string.Join(", ", ours.Select(t => Durations.Format(t.Build + t.Solve)))}; peer {string.Join(", ", peer.Select(t => Durations.Format(t.Build + t.Solve)))}.\n\n"
            + $"## Nyström PCG against plain CG, n = {pcgN:N0}\n\n" + pcg.Table.ToMarkdown() + $"\n{pcg.Verdict}\n";
        string file = Path.Combine(MachineInfo.ResultsDirectory(), "compare-ntk.md");
        File.WriteAllText(file, markdown);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetRelativePath(RepositoryPaths.Root, file))}[/]");
        return 0;
    }

    /// <summary>Our build, Cholesky solve and prediction for the first <paramref name="n"/> rows, timed step by step.</summary>
    private static Timing Fit(int n, double[] all, double[] targets, double[] predictions)
    {
        var x = new ReadOnlyMatrixView<double>(all, n, Dimension);
        var clock = Stopwatch.StartNew();
        var kernel = new Matrix<double>(n, n);
        NeuralTangentKernel.BuildLower(x, kernel.View);                      // the Cholesky solvers read only the lower triangle
        double build = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var model = KernelRidge<double>.Fit(x, kernel, new ReadOnlyMatrixView<double>(targets, n, Classes),
            new KernelRidgeOptions { Lambda = Lambda, Solver = KernelRidgeSolver.MixedPrecisionCholesky });
        double solve = clock.Elapsed.TotalSeconds;
        string path = model.Refinement is { } refinement
            ? $"{model.Solver} ({refinement.Outcome}, {refinement.Steps} refinement steps, backward error {refinement.BackwardError:E1})"
            : $"{model.Solver}";
        clock.Restart();
        var test = new ReadOnlyMatrixView<double>(all.AsSpan((all.Length / Dimension - TestPoints) * Dimension, TestPoints * Dimension), TestPoints, Dimension);
        if (n == all.Length / Dimension - TestPoints)
        {
            model.Predict(test, new MatrixView<double>(predictions, TestPoints, Classes));
        }
        return new Timing(build, solve, clock.Elapsed.TotalSeconds, path);
    }

    private sealed record PcgResult(MarkdownTable Table, string Verdict);

    /// <summary>
    /// Iterations to 1e-8 on (K + λI)·α = y for an anisotropic Gaussian cloud (coordinate k scaled by 0.95^k, so the NTK
    /// spectrum decays), λ = 10⁻³ of the mean diagonal of K: Nyström-preconditioned CG against plain CG (capped).
    /// </summary>
    private static PcgResult PcgTarget(int n, int rank)
    {
        var x = new Matrix<double>(n, Dimension);
        new CounterRandom(2026, 0).FillNormal(x.AsSpan(), 0.0, 1.0);
        for (int i = 0; i < n; i++)
        {
            Span<double> row = x.Row(i);
            for (int k = 0; k < Dimension; k++)
            {
                row[k] *= Math.Pow(0.95, k);
            }
        }
        var clock = Stopwatch.StartNew();
        var kernel = new Matrix<double>(n, n);
        NeuralTangentKernel.Build(x.ReadOnlyView, kernel.View);
        double build = clock.Elapsed.TotalSeconds;
        double trace = 0;
        for (int i = 0; i < n; i++)
        {
            trace += kernel[i, i];
        }
        double lambda = 1e-3 * trace / n;
        double[] y = new double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = (37 * i % 101) % Classes == 3 ? 1 : 0;
        }
        var op = new DenseOperator<double>(kernel.AsMemory(), n);
        var shifted = new ShiftedOperator<double>(op, lambda);
        var solution = new double[n];
        clock.Restart();
        var sketch = new Sketching.Operators.GaussianDistribution(rank, n).Sample<double>(7);
        var nystrom = new Sketching.Preconditioners.NystromPreconditioner<double>(op, lambda, sketch);
        double setup = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var preconditioned = ConjugateGradient.Solve(shifted, y, solution, nystrom, new ConjugateGradientOptions { RelativeTolerance = PcgTolerance });
        double pcgTime = clock.Elapsed.TotalSeconds;
        AnsiConsole.MarkupLine($"    Nyström PCG: {preconditioned.Iterations} iterations ({preconditioned.Status}), setup {Durations.Format(setup)}, solve {Durations.Format(pcgTime)}");
        clock.Restart();
        Array.Clear(solution);
        var plain = ConjugateGradient.Solve(shifted, y, solution, null, new ConjugateGradientOptions { RelativeTolerance = PcgTolerance, MaxIterations = PlainCgCap });
        double cgTime = clock.Elapsed.TotalSeconds;
        AnsiConsole.MarkupLine($"    plain CG: {plain.Iterations} iterations ({plain.Status}), {Durations.Format(cgTime)}");
        var table = new MarkdownTable("Solver", "Iterations", "Status", "Final relative residual", "Time");
        table.Add($"CG + Nyström (rank {rank})", $"{preconditioned.Iterations}", $"{preconditioned.Status}", $"{preconditioned.RelativeResidual:E2}", $"{Durations.Format(setup)} setup + {Durations.Format(pcgTime)}");
        table.Add("Plain CG", plain.Status == SolverStatus.Converged ? $"{plain.Iterations}" : $"> {plain.Iterations} (cap)", $"{plain.Status}", $"{plain.RelativeResidual:E2}", Durations.Format(cgTime));
        bool fewEnough = preconditioned.Status == SolverStatus.Converged && preconditioned.Iterations <= 50;
        bool fiveTimes = plain.Iterations >= 5 * preconditioned.Iterations;
        string verdict = $"Data: {n:N0} × {Dimension} Gaussian with coordinate k scaled by 0.95^k; K built in {Durations.Format(build)}; λ = 10⁻³·mean diag K = {lambda:G3}; b one-hot of class 3. " +
            $"Nyström PCG {preconditioned.Iterations} iterations (target ≤ 50: {Met(fewEnough)}); plain CG {(plain.Status == SolverStatus.Converged ? "" : "more than ")}{plain.Iterations} " +
            $"(target ≥ 5× PCG's: {Met(fiveTimes)}). Setup {Durations.Format(setup)} = {setup / cgTime:P0} of plain CG's time; " +
            $"with PCG's solve {(setup + pcgTime) / cgTime:P0}. Rank: λ̂_ℓ / μ = {nystrom.Eigenvalues[rank - 1] / lambda:F0} at ℓ = {rank} (the preconditioned κ is about (λ_ℓ+1 + μ)/μ; the NTK's spectrum decays slowly past the data's linear part, so halving λ̂_ℓ / μ takes far more than doubling ℓ).";
        return new PcgResult(table, verdict);
    }

    private static string Met(bool met) => met ? "yes" : "NO";
}
