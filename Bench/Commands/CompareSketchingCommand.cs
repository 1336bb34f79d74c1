using System.Numerics;
using System.Runtime.InteropServices;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Sketching.Operators;
using Kernels.Sparse;
using Spectre.Console;

namespace Kernels.Bench.Commands;

/// <summary>
/// <c>compare sketching</c>: the sketch operators against scikit-learn and SciPy on the same matrices (written to files
/// and read by <c>Bench/peers/sketching.py</c>), and the Walsh–Hadamard transform against a scalar radix-2 loop, all in
/// one run, as median-time ratios. Writes <c>Bench/results/&lt;cpu&gt;/compare-sketching.md</c>.
/// </summary>
/// <remarks>
/// <para><b>Sparse.</b> X is 2000 samples × 20 000 features at density 0.01: position (i, j) is stored when uniform
/// value i·20 000 + j of <c>CounterRandom(2026, 0)</c> is below 0.01, with the normal value of the same index of
/// <c>CounterRandom(2026, 1)</c>. scikit-learn's <c>SparseRandomProjection.transform</c> computes X·Rᵀ (2000 × 200, dense
/// output) for a sparse R with 200·density nonzeros per feature on average; we compute S·Xᵀ (200 × 2000) from Xᵀ in CSR form,
/// the same numbers transposed. Density 1/200 (one nonzero per feature on average) matches CountSketch's one per
/// column, 4/200 matches OSNAP's four, so both sides do the same expected number of multiply-adds (nnz(X) or 4·nnz(X)).
/// Our time includes hashing the rows and signs, which scikit-learn precomputes in fit.</para>
/// <para><b>Dense.</b> A is 20 000 × 200 of uniform [−½, ½) values (<c>CounterRandom(2027, 0)</c>), sketched to 800 rows;
/// SciPy's <c>clarkson_woodruff_transform</c> draws its S and computes S·A on each call, as ours hashes on each call.</para>
/// <para>Both sides use float64 and one thread.</para>
/// </remarks>
public static class CompareSketchingCommand
{
    private const int Samples = 2000, Features = 20_000, SparseRows = 200;
    private const int DenseRows = 20_000, DenseColumns = 200, DenseSketch = 800;
    private const int HadamardLength = 1 << 20;
    private const int Rounds = 5;

    public static int Run()
    {
        AnsiConsole.MarkupLine("[bold]compare sketching[/]: generating the matrices…");
        string directory = Path.Combine(Path.GetTempPath(), "kernels-compare-sketching");
        Directory.CreateDirectory(directory);
        var (x, xTransposed) = SparseData();
        WriteCsr(Path.Combine(directory, "x"), x);
        double[] a = new double[DenseRows * DenseColumns];
        new CounterRandom(2027, 0).FillUniform<double>(a, -0.5, 0.5);
        WriteDense(Path.Combine(directory, "a"), a, DenseRows, DenseColumns);
        float[] a32 = Array.ConvertAll(a, v => (float)v);
        WriteDense(Path.Combine(directory, "a32"), a32, DenseRows, DenseColumns);
        var single = BlasOptions.SingleThreaded;

        var table = new MarkdownTable("Case", "What both sides compute", "Ours", "Peer", "Peer time", "Speed ratio (peer / ours)", "Target", "Met");
        var countSketch = new CountSketchDistribution(SparseRows, Features).Sample<double>(1);
        var osnap = new SparseEmbeddingDistribution(SparseRows, Features, 4).Sample<double>(1);
        var denseSketch = new CountSketchDistribution(DenseSketch, DenseRows).Sample<double>(2);
        var denseSketch32 = new CountSketchDistribution(DenseSketch, DenseRows).Sample<float>(2);
        var sparseOut = new double[SparseRows * Samples];
        var denseOut = new double[DenseSketch * DenseColumns];
        var denseOut32 = new float[DenseSketch * DenseColumns];
        float[] signal = new float[HadamardLength];
        new CounterRandom(2028, 0).FillUniform<float>(signal, -1f, 1f);
        float[] work = new float[HadamardLength];
        // Reading A once is the floor of the dense kernel: the same bytes streamed by an independent integer loop.
        long[] stream = new long[a.Length];
        Array.Fill(stream, 1);
        string xPrefix = Path.Combine(directory, "x"), aPrefix = Path.Combine(directory, "a");
        string srp1 = $"srp:{xPrefix}:{SparseRows}:{1.0 / SparseRows}", srp4 = $"srp:{xPrefix}:{SparseRows}:{4.0 / SparseRows}";
        string cwt = $"cwt:{aPrefix}:{DenseSketch}:float64", cwt32 = $"cwt:{Path.Combine(directory, "a32")}:{DenseSketch}:float32";
        var peerEnvironment = new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = "1", ["OMP_NUM_THREADS"] = "1" };

        // Ours and the peers alternate, round after round, and each time is the median over the rounds, so that a
        // noisy neighbour hits both sides alike.
        var times = new Dictionary<string, List<double>>();
        void Record(string name, double seconds) => (times.TryGetValue(name, out var list) ? list : times[name] = []).Add(seconds);
        for (int round = 1; round <= Rounds; round++)
        {
            AnsiConsole.MarkupLine($"  round {round} of {Rounds}: ours, then scikit-learn and SciPy…");
            Record("count", Measure.MedianSeconds(() => countSketch.Apply(xTransposed, new MatrixView<double>(sparseOut, SparseRows, Samples)), 0.1));
            Record("osnap", Measure.MedianSeconds(() => osnap.Apply(xTransposed, new MatrixView<double>(sparseOut, SparseRows, Samples)), 0.1));
            Record("dense", Measure.MedianSeconds(() => denseSketch.Apply(new ReadOnlyMatrixView<double>(a, DenseRows, DenseColumns), new MatrixView<double>(denseOut, DenseSketch, DenseColumns), single), 0.1));
            Record("denseThreads", Measure.MedianSeconds(() => denseSketch.Apply(new ReadOnlyMatrixView<double>(a, DenseRows, DenseColumns), new MatrixView<double>(denseOut, DenseSketch, DenseColumns), BlasOptions.Default), 0.1));
            Record("dense32", Measure.MedianSeconds(() => denseSketch32.Apply(new ReadOnlyMatrixView<float>(a32, DenseRows, DenseColumns), new MatrixView<float>(denseOut32, DenseSketch, DenseColumns), single), 0.1));
            Record("read", Measure.MedianSeconds(() => MachineLimits.ReadAll(stream), 0.1));
            Record("fwht", Measure.MedianSeconds(() => { signal.CopyTo(work, 0); WalshHadamard.Transform<float>(work); }, 0.1));
            Record("fwhtScalar", Measure.MedianSeconds(() => { signal.CopyTo(work, 0); ScalarBaselines.WalshHadamard<float>(work); }, 0.1));
            Record("copy", Measure.MedianSeconds(() => signal.CopyTo(work, 0), 0.1));
            var peers = PeerRunner.Run("sketching.py", [srp1, srp4, cwt, cwt32], peerEnvironment);
            foreach (string c in new[] { srp1, srp4, cwt, cwt32 })
            {
                Record(c, peers[c].GetDouble());
            }
        }
        double T(string name) => Measure.Median(times[name]);

        string sparseWhat = $"{Samples}×{Features} CSR at density 0.01 ({x.NonZeroCount:N0} entries) to {SparseRows} rows";
        Row(table, "CountSketch, CSR", sparseWhat + ": S·Xᵀ vs X·Rᵀ, R at density 1/200", T("count"), "scikit-learn SparseRandomProjection.transform", T(srp1), 5);
        Row(table, "OSNAP (4 per column), CSR", sparseWhat + ": S·Xᵀ vs X·Rᵀ, R at density 4/200", T("osnap"), "scikit-learn SparseRandomProjection.transform", T(srp4), 5);
        string denseWhat = $"{DenseRows}×{DenseColumns} dense to {DenseSketch} rows: S·A, S drawn in the call";
        Row(table, "CountSketch, dense float64", denseWhat + $"; reading A alone takes {Format(T("read"))} ({a.Length * 8.0 / T("read") / 1e9:F1} GB/s)", T("dense"), "scipy.linalg.clarkson_woodruff_transform", T(cwt), 3);
        Row(table, $"CountSketch, dense float64, {Environment.ProcessorCount} threads", denseWhat + "; our default options (column stripes per thread, same bits as one thread) against SciPy, which has no threaded path", T("denseThreads"), "scipy.linalg.clarkson_woodruff_transform", T(cwt), 3);
        Row(table, "CountSketch, dense float32", denseWhat + " (SciPy computes in float64: its S holds integers)", T("dense32"), "scipy.linalg.clarkson_woodruff_transform", T(cwt32), 3);
        double ours = T("fwht") - T("copy"), scalar = T("fwhtScalar") - T("copy");
        double flops = (double)HadamardLength * 20;
        table.Add("FWHT, 2²⁰ floats", $"in-place unnormalized transform, n·log₂n = {flops / 1e6:F1} M additions; GFLOP/s ours {flops / ours / 1e9:F1}, scalar {flops / scalar / 1e9:F2}",
            Format(ours), "scalar radix-2 loop (C#)", Format(scalar), $"{scalar / ours:F1}×", "≥ 8×", scalar / ours >= 8 ? "yes" : "NO");

        table.Render();
        string command = "dotnet run -c Release --project Bench -- compare sketching";
        var versions = PeerRunner.Run("version.py", []);
        string markdown = MachineInfo.Header("compare sketching: sketch operators vs scikit-learn and SciPy", command)
            + $"- Peers: scikit-learn {versions["sklearn"].GetString()}, SciPy {versions["scipy"].GetString()}, NumPy {versions["numpy"].GetString()}; float64, one thread on both sides except the row that says otherwise\n"
            + PeerRunner.KernelLines(versions)
            + "- Same data on both sides: generated here from CounterRandom seeds and passed to `Bench/peers/sketching.py` as raw files\n"
            + "- Sparse: X (samples × features) is projected by scikit-learn as X·Rᵀ; we sketch Xᵀ (in CSR form) as S·Xᵀ, the same numbers transposed. "
            + "R's density is set so it has as many nonzeros per feature, on average, as S has per column (1 for CountSketch, 4 for OSNAP): the same expected multiply-adds\n"
            + "- Our times include hashing rows and signs on every call (the operators store only hash coefficients); scikit-learn's R is built in fit, outside the timing; "
            + "SciPy's transform draws S on every call\n"
            + "- FWHT times exclude the copy that restores the input before each transform (measured alone and subtracted)\n"
            + $"- Times are medians over {Rounds} rounds in which ours and the peers alternate (each round's time itself a median); the ratio is peer time / our time (above 1 means ours is faster)\n\n"
            + table.ToMarkdown();
        string file = Path.Combine(MachineInfo.ResultsDirectory(), "compare-sketching.md");
        File.WriteAllText(file, markdown);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetRelativePath(RepositoryPaths.Root, file))}[/]");
        return 0;
    }

    private static void Row(MarkdownTable table, string name, string what, double ours, string peer, double theirs, double target)
    {
        double ratio = theirs / ours;
        table.Add(name, what, Format(ours), peer, Format(theirs), $"{ratio:F1}×", $"≥ {target}×", ratio >= target ? "yes" : "NO");
    }

    /// <summary>X (samples × features) and Xᵀ, both CSR, from the formula in the remarks.</summary>
    private static (CsrMatrix<double> X, CsrMatrix<double> XTransposed) SparseData()
    {
        var rows = new List<int>();
        var cols = new List<int>();
        var values = new List<double>();
        var uniform = new double[Features];
        var normal = new double[Features];
        for (int i = 0; i < Samples; i++)
        {
            new CounterRandom(2026, 0).FillUniform<double>(uniform, (long)i * Features);
            new CounterRandom(2026, 1).FillNormal<double>(normal, 0, 1, (long)i * Features);
            for (int j = 0; j < Features; j++)
            {
                if (uniform[j] < 0.01)
                {
                    rows.Add(i);
                    cols.Add(j);
                    values.Add(normal[j]);
                }
            }
        }
        var x = CsrMatrix<double>.FromTriplets(Samples, Features, rows.ToArray(), cols.ToArray(), values.ToArray());
        var xt = CsrMatrix<double>.FromTriplets(Features, Samples, cols.ToArray(), rows.ToArray(), values.ToArray());
        return (x, xt);
    }

    private static void WriteCsr(string prefix, CsrMatrix<double> m)
    {
        File.WriteAllBytes(prefix + ".shape", MemoryMarshal.AsBytes(new long[] { m.Rows, m.Columns }.AsSpan()).ToArray());
        File.WriteAllBytes(prefix + ".indptr", MemoryMarshal.AsBytes(m.RowPointers).ToArray());
        File.WriteAllBytes(prefix + ".indices", MemoryMarshal.AsBytes(m.ColumnIndices).ToArray());
        File.WriteAllBytes(prefix + ".data", MemoryMarshal.AsBytes(m.Values).ToArray());
    }

    private static void WriteDense<T>(string prefix, T[] data, int rows, int cols) where T : unmanaged
    {
        File.WriteAllBytes(prefix + ".shape", MemoryMarshal.AsBytes(new long[] { rows, cols }.AsSpan()).ToArray());
        File.WriteAllBytes(prefix + ".data", MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
    }


    private static string Format(double seconds) => seconds switch
    {
        < 1e-3 => $"{seconds * 1e6:F1} µs",
        _ => $"{seconds * 1e3:F2} ms",
    };
}
