using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Solvers;
using Kernels.Sparse;
using MathNet.Numerics.LinearAlgebra.Factorization;
using Spectre.Console;

namespace Kernels.Bench.Commands;

// Inside the namespace, so that MathNet's Matrix<T> wins over the globally imported Kernels.Core.Matrix<T>.
using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// <c>compare linalg</c>: Cholesky (n = 2048, and n = 5000 in double and float), Householder QR (8192 × 256) and Jacobi-preconditioned CG on the 2-D
/// Poisson matrix with 10⁶ unknowns, against SciPy/NumPy (LAPACK on OpenBLAS) and MathNet.Numerics' managed provider,
/// on the same matrices (<see cref="LinalgProblems"/>) in the same run. Ours and the Python peer alternate for
/// <see cref="Rounds"/> rounds and medians are compared, so that a noisy neighbour hits both alike.
/// Writes <c>Bench/results/&lt;cpu&gt;/compare-linalg.md</c>.
/// </summary>
public static class CompareLinalgCommand
{
    private const int CholeskyOrder = 2048;
    // The order of issue 13's exact kernel ridge regression, where the n³/3 flops dominate; few samples, as one call takes about a second.
    private const int LargeCholeskyOrder = 5000;
    private const int LargeCholeskySamples = 3;
    private const int QrRows = 8192;
    private const int QrColumns = 256;
    private const int PoissonGrid = 1000;
    private const double CgTolerance = 1e-6;
    private const int Rounds = 5;

    private sealed record CgRun(int Iterations, double SecondsPerIteration, double RelativeResidual);

    public static int Run()
    {
        int threads = Environment.ProcessorCount;
        string loadAtStart = MachineInfo.LoadAverage();
        AnsiConsole.MarkupLine("[bold]compare linalg[/]: measuring the all-core FMA peaks…");
        double floatPeak = MachineLimits.GflopsAllCores<float>(), doublePeak = MachineLimits.GflopsAllCores<double>();
        AnsiConsole.MarkupLine($"[bold]compare linalg[/]: building the problems ({CholeskyOrder}² KMS, {QrRows}×{QrColumns} hashed, {PoissonGrid}² Poisson)…");
        double[] kms = LinalgProblems.Kms(CholeskyOrder);
        double[] tall = LinalgProblems.Hashed(QrRows, QrColumns);
        CsrMatrix<double> poisson = LinalgProblems.Poisson2D(PoissonGrid);
        double[] b = LinalgProblems.PoissonRightHandSide(poisson.Rows);

        double[] work = new double[kms.Length];
        double[] kmsLarge = LinalgProblems.Kms(LargeCholeskyOrder);
        double[] workLarge = new double[kmsLarge.Length];
        // The powers of two round to the same floats as NumPy's astype(float32) (those below 2⁻¹⁴⁹ to zero).
        float[] kmsLargeFloat = Array.ConvertAll(kmsLarge, v => (float)v);
        float[] workLargeFloat = new float[kmsLargeFloat.Length];
        var qr = new HouseholderQr<double>(QrRows, QrColumns);
        double[] thinQ = new double[QrRows * QrColumns];
        var op = new CsrOperator<double>(poisson);
        var jacobi = JacobiPreconditioner<double>.FromOperator(op);
        var workspace = new ConjugateGradientWorkspace<double>(poisson.Rows);
        double[] x = new double[poisson.Rows];

        string[] peerCases = [$"cholesky:{CholeskyOrder}", $"qr_raw:{QrRows}:{QrColumns}", $"qr_reduced:{QrRows}:{QrColumns}",
            $"cg:{PoissonGrid}:{CgTolerance.ToString("R", CultureInfo.InvariantCulture)}:1",
            $"cholesky:{LargeCholeskyOrder}:float64:{LargeCholeskySamples}", $"cholesky:{LargeCholeskyOrder}:float32:{LargeCholeskySamples}"];
        var ours = new Dictionary<string, List<double>>();
        var peer = new Dictionary<string, List<double>>();
        var ourCg = new List<CgRun>();
        var peerCg = new List<CgRun>();
        void Record(Dictionary<string, List<double>> into, string key, double value) =>
            (into.TryGetValue(key, out var list) ? list : into[key] = []).Add(value);

        for (int round = 1; round <= Rounds; round++)
        {
            AnsiConsole.MarkupLine($"  round {round}/{Rounds}: ours…");
            Record(ours, "cholesky", Measure.MedianSeconds(() =>
            {
                kms.CopyTo(work, 0);
                Cholesky.Factor(new MatrixView<double>(work, CholeskyOrder, CholeskyOrder));
            }, 0.3, 7));
            Record(ours, "qr_raw", Measure.MedianSeconds(() => qr.Refactor(new ReadOnlyMatrixView<double>(tall, QrRows, QrColumns)), 0.3, 7));
            Record(ours, "qr_reduced", Measure.MedianSeconds(() =>
            {
                qr.Refactor(new ReadOnlyMatrixView<double>(tall, QrRows, QrColumns));
                qr.FormThinQ(new MatrixView<double>(thinQ, QrRows, QrColumns));
            }, 0.3, 7));
            ourCg.Add(SolveOurs(op, jacobi, workspace, poisson, b, x));
            Record(ours, "cholesky_large_double", Measure.MedianSeconds(() =>
            {
                kmsLarge.CopyTo(workLarge, 0);
                Cholesky.Factor(new MatrixView<double>(workLarge, LargeCholeskyOrder, LargeCholeskyOrder));
            }, 0.3, LargeCholeskySamples));
            Record(ours, "cholesky_large_float", Measure.MedianSeconds(() =>
            {
                kmsLargeFloat.CopyTo(workLargeFloat, 0);
                Cholesky.Factor(new MatrixView<float>(workLargeFloat, LargeCholeskyOrder, LargeCholeskyOrder));
            }, 0.3, LargeCholeskySamples));

            AnsiConsole.MarkupLine($"  round {round}/{Rounds}: SciPy/NumPy with {threads} OpenBLAS thread(s)…");
            var results = PeerRunner.Run("linalg.py", peerCases,
                new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture) });
            Record(peer, "cholesky", results[peerCases[0]].GetDouble());
            Record(peer, "qr_raw", results[peerCases[1]].GetDouble());
            Record(peer, "qr_reduced", results[peerCases[2]].GetDouble());
            JsonElement cg = results[peerCases[3]];
            peerCg.Add(new CgRun(cg.GetProperty("iterations").GetInt32(), cg.GetProperty("seconds_per_iteration").GetDouble(), cg.GetProperty("relative_residual").GetDouble()));
            Record(peer, "cholesky_large_double", results[peerCases[4]].GetDouble());
            Record(peer, "cholesky_large_float", results[peerCases[5]].GetDouble());
        }

        AnsiConsole.MarkupLine("  MathNet.Numerics, managed provider (slow: a few samples)…");
        MathNet.Numerics.Control.UseManaged();
        Matrix<double> mathNetKms = Matrix<double>.Build.DenseOfRowMajor(CholeskyOrder, CholeskyOrder, kms);
        Matrix<double> mathNetTall = Matrix<double>.Build.DenseOfRowMajor(QrRows, QrColumns, tall);
        double mathNetCholesky = Measure.MedianSeconds(() => mathNetKms.Cholesky(), 0.1, 3);
        double mathNetQr = Measure.MedianSeconds(() => mathNetTall.QR(QRMethod.Thin), 0.1, 3);

        var factorizations = new MarkdownTable("Operation", "Size", "Ours", "SciPy/NumPy", "Peer time ÷ ours", "MathNet managed", "MathNet time ÷ ours", "Target", "Met");
        double cholesky = Measure.Median(ours["cholesky"]), cholPeer = Measure.Median(peer["cholesky"]);
        factorizations.Add("Cholesky", $"{CholeskyOrder}×{CholeskyOrder}",
            Durations.Format(cholesky), Durations.Format(cholPeer), Ratio(cholPeer, cholesky), Durations.Format(mathNetCholesky), Ratio(mathNetCholesky, cholesky),
            "≥ 1.0× SciPy, ≥ 3× MathNet", Met(cholPeer / cholesky >= 1.0 && mathNetCholesky / cholesky >= 3));
        // Rates count the n³/3 flops of a Cholesky factorization (a multiply-add is two).
        double largeFlops = Math.Pow(LargeCholeskyOrder, 3) / 3;
        double largeDouble = Measure.Median(ours["cholesky_large_double"]), largeDoublePeer = Measure.Median(peer["cholesky_large_double"]);
        double largeFloat = Measure.Median(ours["cholesky_large_float"]), largeFloatPeer = Measure.Median(peer["cholesky_large_float"]);
        double floatOverDouble = largeDouble / largeFloat;
        factorizations.Add("Cholesky, double", $"{LargeCholeskyOrder}×{LargeCholeskyOrder}",
            Durations.Format(largeDouble), Durations.Format(largeDoublePeer), Ratio(largeDoublePeer, largeDouble), "", "",
            "≥ 1.0× SciPy", Met(largeDoublePeer / largeDouble >= 1.0));
        factorizations.Add("Cholesky, float", $"{LargeCholeskyOrder}×{LargeCholeskyOrder}",
            Durations.Format(largeFloat), Durations.Format(largeFloatPeer), Ratio(largeFloatPeer, largeFloat), "", "",
            "≥ 1.0× SciPy, ≥ 1.8× our double rate", Met(largeFloatPeer / largeFloat >= 1.0 && floatOverDouble >= 1.8));
        string rates = $"Cholesky at n = {LargeCholeskyOrder} (n³/3 flops; all-core FMA peaks measured at the start of this run: {floatPeak:F0} GFLOP/s float, "
            + $"{doublePeak:F0} double): ours {largeFlops / largeDouble / 1e9:F1} GFLOP/s in double ({largeFlops / largeDouble / 1e9 / doublePeak:P0} of peak), "
            + $"{largeFlops / largeFloat / 1e9:F1} in float ({largeFlops / largeFloat / 1e9 / floatPeak:P0}), float {floatOverDouble:F2}× the double rate; "
            + $"SciPy {largeFlops / largeDoublePeer / 1e9:F1} (dpotrf) and {largeFlops / largeFloatPeer / 1e9:F1} (spotrf). "
            + $"Per round, ours double {Series(ours["cholesky_large_double"])}, float {Series(ours["cholesky_large_float"])}; "
            + $"SciPy double {Series(peer["cholesky_large_double"])}, float {Series(peer["cholesky_large_float"])}.";
        double qrRaw = Measure.Median(ours["qr_raw"]), qrRawPeer = Measure.Median(peer["qr_raw"]);
        factorizations.Add("QR: R and reflectors", $"{QrRows}×{QrColumns}",
            Durations.Format(qrRaw), Durations.Format(qrRawPeer), Ratio(qrRawPeer, qrRaw), "", "", "", "");
        double qrThin = Measure.Median(ours["qr_reduced"]), qrThinPeer = Measure.Median(peer["qr_reduced"]);
        factorizations.Add("QR: R and thin Q", $"{QrRows}×{QrColumns}",
            Durations.Format(qrThin), Durations.Format(qrThinPeer), Ratio(qrThinPeer, qrThin), Durations.Format(mathNetQr), Ratio(mathNetQr, qrThin),
            "≥ 1.0× NumPy, ≥ 3× MathNet", Met(qrThinPeer / qrThin >= 1.0 && mathNetQr / qrThin >= 3));

        var solver = new MarkdownTable("Solver", "Unknowns", "Iterations", "Time per iteration", "Total", "True relative residual");
        CgRun mine = MedianRun(ourCg), theirs = MedianRun(peerCg);
        solver.Add("Kernels PCG", $"{poisson.Rows:N0}", $"{mine.Iterations}",
            Durations.Format(mine.SecondsPerIteration), Durations.Format(mine.SecondsPerIteration * mine.Iterations), $"{mine.RelativeResidual:E2}");
        solver.Add("SciPy cg", $"{poisson.Rows:N0}", $"{theirs.Iterations}",
            Durations.Format(theirs.SecondsPerIteration), Durations.Format(theirs.SecondsPerIteration * theirs.Iterations), $"{theirs.RelativeResidual:E2}");
        double perIteration = theirs.SecondsPerIteration / mine.SecondsPerIteration;
        bool sameCount = ourCg.All(r => r.Iterations == mine.Iterations) && mine.Iterations == theirs.Iterations;

        factorizations.Render();
        AnsiConsole.MarkupLine(Markup.Escape(rates));
        solver.Render();
        string verdict = $"Per-iteration speed ratio (SciPy time ÷ ours): **{perIteration:F2}×** (target ≥ 1.0×: {Met(perIteration >= 1.0)}); " +
            $"iteration counts {mine.Iterations} vs {theirs.Iterations} (target: equal: {Met(sameCount)}).";
        AnsiConsole.MarkupLine(Markup.Escape(verdict));

        string command = "dotnet run -c Release --project Bench -- compare linalg";
        var versions = PeerRunner.Run("version.py", []);
        string markdown = MachineInfo.Header("compare linalg: dense factorizations and PCG vs SciPy/NumPy and MathNet", command)
            + $"- Peers: NumPy {versions["numpy"].GetString()}, SciPy {versions["scipy"].GetString()} on Debian's OpenBLAS (pthreads, `OPENBLAS_NUM_THREADS={threads}`); "
            + "MathNet.Numerics 5.0.0 with `Control.UseManaged()`\n"
            + PeerRunner.KernelLines(versions)
            + $"- Load average (1, 5, 15 min) at the start and end of the run: {loadAtStart}; {MachineInfo.LoadAverage()} (the machine is shared; ours and the peer alternate so that both see the same neighbours)\n"
            + $"- Ours: default `BlasOptions` ({threads} threads above the size threshold; results are bitwise independent of the thread count)\n"
            + $"- {Rounds} rounds, ours and the Python peer alternating; each factorization time is a median of 7 samples per round, then the median over rounds. "
            + "MathNet is timed once (3 samples). Ratios are peer time ÷ our time: above 1 means ours is faster\n"
            + "- Matrices (identical bits on both sides, see `Bench/Commands/LinalgProblems.cs` and `Bench/peers/linalg.py`): Cholesky on the KMS matrix "
            + "A[i,j] = 0.5^|i−j|; QR on an integer-hash matrix with entries in [−0.5, 0.5); CG on the 5-point Poisson matrix of a "
            + $"{PoissonGrid}×{PoissonGrid} grid with b[i] = ((37·i) mod 101 − 50)/50, Jacobi preconditioner, relative tolerance {CgTolerance.ToString("0e0", CultureInfo.InvariantCulture)} and atol = 0 on both sides\n"
            + "- Calls: Cholesky is `Cholesky.Factor` on a copy of A vs `scipy.linalg.cho_factor(lower=True)` (which copies) vs MathNet `Cholesky()`; "
            + $"at n = {LargeCholeskyOrder} the same KMS matrix in double and rounded to float, {LargeCholeskySamples} samples per round on both sides. "
            + "QR \"R and reflectors\" is `HouseholderQr.Refactor` (storage reused) vs `scipy.linalg.qr(mode='raw')` (LAPACK geqrf); "
            + "\"R and thin Q\" adds `FormThinQ` and compares with `numpy.linalg.qr` (reduced: geqrf + orgqr) and MathNet `QR(QRMethod.Thin)`. "
            + "Kernels PCG is `ConjugateGradient.Solve` with `JacobiPreconditioner` on a `CsrOperator` (SpMV split over threads by rows) and a reused workspace; "
            + "SciPy is `scipy.sparse.linalg.cg(tol, atol=0)` with M = r / diag(A) as a `LinearOperator` (its CSR product is single-threaded)\n\n"
            + "## Factorizations\n\n" + factorizations.ToMarkdown() + $"\n{rates}\n"
            + "\n## Conjugate gradient, 2-D Poisson, Jacobi\n\n" + solver.ToMarkdown()
            + $"\n{verdict}\n\nIteration counts per round: ours {string.Join(", ", ourCg.Select(r => r.Iterations))}; SciPy {string.Join(", ", peerCg.Select(r => r.Iterations))}. "
            + $"Time per iteration per round: ours {string.Join(", ", ourCg.Select(r => Durations.Format(r.SecondsPerIteration)))}; "
            + $"SciPy {string.Join(", ", peerCg.Select(r => Durations.Format(r.SecondsPerIteration)))}.\n";
        string file = Path.Combine(MachineInfo.ResultsDirectory(), "compare-linalg.md");
        File.WriteAllText(file, markdown);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetRelativePath(RepositoryPaths.Root, file))}[/]");
        return 0;
    }

    /// <summary>One full solve from zero: iterations, time per iteration and the true relative residual ‖b − A·x‖/‖b‖.</summary>
    private static CgRun SolveOurs(CsrOperator<double> op, JacobiPreconditioner<double> jacobi, ConjugateGradientWorkspace<double> workspace,
        CsrMatrix<double> a, double[] b, double[] x)
    {
        var clock = Stopwatch.StartNew();
        var result = ConjugateGradient.Solve(op, b, x, jacobi, new ConjugateGradientOptions { RelativeTolerance = CgTolerance }, workspace);
        double seconds = clock.Elapsed.TotalSeconds;
        if (result.Status != SolverStatus.Converged)
        {
            throw new InvalidOperationException($"Our CG ended with {result.Status} after {result.Iterations} iterations.");
        }
        double[] residual = b.ToArray();
        SparseBlas.SpMV(-1.0, a, x, 1.0, residual);
        return new CgRun(result.Iterations, seconds / result.Iterations, Level1.Nrm2<double>(residual) / Level1.Nrm2<double>(b));
    }

    private static CgRun MedianRun(List<CgRun> runs) => runs.OrderBy(r => r.SecondsPerIteration).ElementAt(runs.Count / 2);


    private static string Series(IEnumerable<double> seconds) => string.Join(" / ", seconds.Select(Durations.Format));

    private static string Ratio(double peer, double ours) => $"{peer / ours:F2}×";

    private static string Met(bool met) => met ? "yes" : "NO";
}
