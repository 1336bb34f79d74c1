using Kernels.Activations;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Sketching.Operators;
using Kernels.Sketching.Preconditioners;
using Kernels.Solvers;
using Kernels.Trees;
using Spectre.Console;

namespace Kernels.Bench.Commands;

/// <summary>
/// The quickstart's second half: the layers above the kernels on built-in data — a threshold forest reporting the
/// neurons a point activates, against a SIMD scan of the same cached inner products, and sketch-and-precondition
/// least squares, against plain conjugate gradient on the same ill-conditioned problem.
/// </summary>
internal static class ShowcaseLayers
{
    /// <summary>Runs both showcases and renders one table.</summary>
    public static void Run()
    {
        var table = new MarkdownTable("Layer", "Kernels", "Baseline", "Result");
        ThresholdForestRow(table);
        SketchPreconditionedRow(table);
        table.Render();
    }

    /// <summary>
    /// m = 2¹⁸ neurons, n = 16 points, d = 32, τ leaving 0.5 % of the neurons active (the paper's setting): the wide
    /// forest's query of every tree against <see cref="Threshold.CompressGreaterOrEqual{T}"/> over the cached leaves.
    /// </summary>
    private static void ThresholdForestRow(MarkdownTable table)
    {
        const int neurons = 1 << 18;
        float[] weights = ForestWorkload.Weights(neurons, 7), data = ForestWorkload.Data(8);
        var forest = new ThresholdForest(new ReadOnlyMatrixView<float>(weights, neurons, ForestWorkload.Dimension),
            new ReadOnlyMatrixView<float>(data, ForestWorkload.DataPoints, ForestWorkload.Dimension));
        float threshold = ForestWorkload.Threshold(0.005);
        int[] found = new int[neurons];
        int treeCount = 0, scanCount = 0;
        double tree = Measure.MedianSeconds(() =>
        {
            treeCount = 0;
            for (int i = 0; i < ForestWorkload.DataPoints; i++)
            {
                treeCount += forest.Query(i, threshold, found);
            }
        }, 0.02, 7);
        double scan = Measure.MedianSeconds(() =>
        {
            scanCount = 0;
            for (int i = 0; i < ForestWorkload.DataPoints; i++)
            {
                scanCount += Threshold.CompressGreaterOrEqual(forest.Values(i), threshold, found);
            }
        }, 0.02, 7);
        if (treeCount != scanCount)
        {
            throw new InvalidOperationException($"The forest reported {treeCount} active neurons and the scan {scanCount}.");
        }
        table.Add($"ThresholdForest query, m = 2¹⁸, 16 points, {treeCount} active", Durations.Format(tree),
            $"{Durations.Format(scan)} (SIMD scan of the leaves)", $"{scan / tree:F1}× faster");
    }

    /// <summary>
    /// Least squares on a 20000 × 60 matrix with condition number about 10⁶: CG on AᵀA·x = Aᵀc preconditioned by the
    /// QR of an OSNAP sketch of A (s = 8·60 rows), against plain CG, both to a relative residual of 1e-10.
    /// </summary>
    private static void SketchPreconditionedRow(MarkdownTable table)
    {
        const int rows = 20_000, columns = 60;
        var a = new double[rows * columns];
        new CounterRandom(11, 0).FillNormal<double>(a, 0.0, 1.0);
        for (int j = 0; j < columns; j++)
        {
            // Column j scaled by 10^(−6 j/(n−1)): singular values spread over six decades.
            double scale = Math.Pow(10, -6.0 * j / (columns - 1));
            for (int i = 0; i < rows; i++)
            {
                a[i * columns + j] *= scale;
            }
        }
        var view = new ReadOnlyMatrixView<double>(a, rows, columns);
        var c = new double[rows];
        new CounterRandom(11, 1).FillNormal<double>(c, 0.0, 1.0);
        var b = new double[columns];
        Level2.Gemv(Transpose.Transposed, 1.0, view, c, 0.0, b);
        var gram = new GramOperator<double>(new DenseMap<double>(a, rows, columns));
        var options = new ConjugateGradientOptions { RelativeTolerance = 1e-10, MaxIterations = 2000 };
        var sketched = new SketchQrPreconditioner<double>(new SparseEmbeddingDistribution(8 * columns, rows, 4).Sample<double>(12), columns);

        ConjugateGradientResult pcg = default, plain = default;
        var x = new double[columns];
        double pcgSeconds = Measure.MedianSeconds(() =>
        {
            sketched.Factor(new ReadOnlyMatrixView<double>(a, rows, columns));
            Array.Clear(x);
            pcg = ConjugateGradient.Solve(gram, b, x, sketched, options);
        }, 0.05, 5);
        double plainSeconds = Measure.MedianSeconds(() =>
        {
            Array.Clear(x);
            plain = ConjugateGradient.Solve(gram, b, x, null, options);
        }, 0.05, 5);
        string Outcome(ConjugateGradientResult r) => r.Status == SolverStatus.Converged ? $"{r.Iterations} iterations" : $"{r.Status} after {r.Iterations} iterations";
        table.Add($"Sketch-and-precondition least squares, {rows}×{columns}, κ ≈ 10⁶",
            $"{Durations.Format(pcgSeconds)}, {Outcome(pcg)} (sketch + QR included)",
            $"{Durations.Format(plainSeconds)}, {Outcome(plain)} (plain CG)",
            plain.Status == SolverStatus.Converged ? $"{plainSeconds / pcgSeconds:F1}× faster" : "plain CG did not converge");
    }
}
