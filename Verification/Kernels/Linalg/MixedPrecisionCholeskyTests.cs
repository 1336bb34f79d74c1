using System.Runtime.InteropServices;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Linalg;

/// <summary>
/// <see cref="MixedPrecisionCholesky"/>: on SPD matrices whose condition number float can handle (κ ≤ 10³, so
/// n·κ·ε_float ≤ 0.02 for the generated orders) it converges, its backward error is at double-precision level
/// (‖b − A·x‖∞ ≤ √n·2⁻⁵³·‖A‖∞·‖x‖∞, its own stopping rule, re-checked here in a scalar loop), and it agrees with the
/// double Cholesky solution to their joint forward error, 8·n·κ·ε_double·‖x‖∞; where κ·ε_float ≫ 1 it reports a
/// failure so the caller falls back.
/// </summary>
public sealed class MixedPrecisionCholeskyTests
{
    private const int Columns = 3;

    [KernelProperty(MaxTest = 30)]
    public void Converges_to_the_double_Cholesky_solution_on_well_conditioned_matrices(SpdCase c)
    {
        c = c.Capped(3);
        int n = c.Order;
        double[] a = c.Matrix();
        double[] b = SampleData.Matrix<double>(n, Columns, c.Seed + 1);
        double[] x = new double[n * Columns];
        float[] factor = new float[n * n];
        var result = MixedPrecisionCholesky.TrySolve(new ReadOnlyMatrixView<double>(a, n, n), new ReadOnlyMatrixView<double>(b, n, Columns),
            new MatrixView<double>(x, n, Columns), new MatrixView<float>(factor, n, n));
        Assert.Equal(MixedPrecisionOutcome.Converged, result.Outcome);

        double[] reference = b.ToArray();
        double[] l = a.ToArray();
        Cholesky.Factor(new MatrixView<double>(l, n, n));
        Cholesky.Solve(new ReadOnlyMatrixView<double>(l, n, n), new MatrixView<double>(reference, n, Columns));
        double normA = 0;
        for (int i = 0; i < n; i++)
        {
            normA = Math.Max(normA, a.AsSpan(i * n, n).ToArray().Sum(Math.Abs));
        }
        for (int k = 0; k < Columns; k++)
        {
            double xMax = 0, rMax = 0, difference = 0;
            for (int i = 0; i < n; i++)
            {
                xMax = Math.Max(xMax, Math.Abs(reference[i * Columns + k]));
                difference = Math.Max(difference, Math.Abs(x[i * Columns + k] - reference[i * Columns + k]));
                double residual = b[i * Columns + k];
                for (int j = 0; j < n; j++)
                {
                    residual -= a[i * n + j] * x[j * Columns + k];
                }
                rMax = Math.Max(rMax, Math.Abs(residual));
            }
            double eps = Tolerance.Epsilon<double>();
            // The scalar residual loop adds its own n·ε·‖A‖∞·‖x‖∞ of rounding to what the stopping rule measured.
            Assert.True(rMax <= (Math.Sqrt(n) / 2 + n) * eps * normA * xMax * 1.01 + double.Epsilon, $"column {k}: residual {rMax:E3}, {c}");
            Assert.True(difference <= 8 * n * c.Condition * eps * xMax + double.Epsilon, $"column {k}: |x − x_double| = {difference:E3}, ‖x‖∞ = {xMax:E3}, {c}");
        }
    }

    [KernelProperty(MaxTest = 20)]
    public void Reads_only_the_lower_triangle_and_gives_the_same_bits_for_any_thread_count(SpdCase c)
    {
        c = c.Capped(3);
        int n = c.Order;
        double[] a = c.Matrix();
        double[] lowerOnly = a.ToArray();
        for (int i = 0; i < n; i++)
        {
            lowerOnly.AsSpan(i * n + i + 1, n - i - 1).Fill(double.NaN);
        }
        double[] b = SampleData.Matrix<double>(n, Columns, c.Seed + 2);
        var (full, fullX) = Solve(a, n, b, BlasOptions.SingleThreaded);
        var (lower, lowerX) = Solve(lowerOnly, n, b, new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 });
        Assert.Equal(full, lower);
        for (int i = 0; i < fullX.Length; i++)
        {
            Tolerance.AssertIdentical(fullX[i], lowerX[i], $"x[{i}], {c}");
        }
    }

    [Fact]
    public void Large_orders_use_every_block_and_chunk_and_keep_the_same_bits_for_any_thread_count()
    {
        // n = 700 spans three blocks of the substitutions (256 rows) and two chunks of a row (512), and every part of the
        // residual; A = GᵀG/n + I has κ ≤ (1 + √(n/n))²·… ≈ 5, so refinement converges in a few steps.
        const int n = 700, columns = 10;
        double[] g = SampleData.Matrix<double>(n, n, 41);
        double[] a = new double[n * n];
        Level3.Gemm(Transpose.Transposed, Transpose.None, 1.0 / n, new ReadOnlyMatrixView<double>(g, n, n), new ReadOnlyMatrixView<double>(g, n, n),
            0.0, new MatrixView<double>(a, n, n));
        for (int i = 0; i < n; i++)
        {
            a[i * n + i] += 1;
        }
        double[] b = SampleData.Matrix<double>(n, columns, 42);
        var (one, oneX) = Solve(a, n, b, BlasOptions.SingleThreaded, columns);
        var (many, manyX) = Solve(a, n, b, new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 }, columns);
        Assert.Equal(MixedPrecisionOutcome.Converged, one.Outcome);
        Assert.Equal(one, many);
        for (int i = 0; i < oneX.Length; i++)
        {
            Tolerance.AssertIdentical(oneX[i], manyX[i], $"x[{i}]");
        }
        // The backward error the solver reports, re-checked by a scalar residual loop over the whole matrix.
        double normA = 0;
        for (int i = 0; i < n; i++)
        {
            normA = Math.Max(normA, a.AsSpan(i * n, n).ToArray().Sum(Math.Abs));
        }
        for (int k = 0; k < columns; k++)
        {
            double xMax = 0, rMax = 0;
            for (int i = 0; i < n; i++)
            {
                xMax = Math.Max(xMax, Math.Abs(oneX[i * columns + k]));
                double residual = b[i * columns + k];
                for (int j = 0; j < n; j++)
                {
                    residual -= a[i * n + j] * oneX[j * columns + k];
                }
                rMax = Math.Max(rMax, Math.Abs(residual));
            }
            Assert.True(rMax <= (Math.Sqrt(n) / 2 + n) * Tolerance.Epsilon<double>() * normA * xMax * 1.01, $"column {k}: residual {rMax:E3}");
        }
    }

    [Theory]
    [InlineData(600, 150, false)]
    [InlineData(3, 1_000_000, true)]
    public void Any_number_of_right_hand_sides_is_solved_to_the_backward_error_bound(int n, int columns, bool powersOfTwo)
    {
        // 150 columns run the per-row dots in three groups (64, 64, 22) through every block of the substitutions; a
        // million columns of order 3 once asked for 8 MB of stack per row, which no thread has: the process died. At
        // order 3 the stopping rule √n·ε·‖A‖∞·‖x‖∞ lies below the residual's own rounding for some of a million random
        // columns (as in LAPACK's dsposv, such a column is reported NotConverged), so that case takes A = diag(2, 4, 8):
        // the float factor and every x = b / a_ii are exact, so each column must come back exact, in its own place.
        double[] a = new double[n * n];
        if (powersOfTwo)
        {
            for (int i = 0; i < n; i++)
            {
                a[i * n + i] = Math.Pow(2, i + 1);
            }
        }
        else
        {
            double[] g = SampleData.Matrix<double>(n, n, 43);
            Level3.Gemm(Transpose.Transposed, Transpose.None, 1.0 / n, new ReadOnlyMatrixView<double>(g, n, n), new ReadOnlyMatrixView<double>(g, n, n),
                0.0, new MatrixView<double>(a, n, n));
            for (int i = 0; i < n; i++)
            {
                a[i * n + i] += 1;
            }
        }
        double[] b = SampleData.Matrix<double>(n, columns, 44);
        var (result, x) = Solve(a, n, b, new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }, columns);
        Assert.Equal(MixedPrecisionOutcome.Converged, result.Outcome);
        double normA = 0;
        for (int i = 0; i < n; i++)
        {
            normA = Math.Max(normA, a.AsSpan(i * n, n).ToArray().Sum(Math.Abs));
        }
        double[] residual = new double[columns];
        double[] xMax = new double[columns];
        double[] rMax = new double[columns];
        for (int i = 0; i < n; i++)
        {
            b.AsSpan(i * columns, columns).CopyTo(residual);
            for (int j = 0; j < n; j++)
            {
                var row = x.AsSpan(j * columns, columns);
                for (int k = 0; k < columns; k++)
                {
                    residual[k] -= a[i * n + j] * row[k];
                }
            }
            for (int k = 0; k < columns; k++)
            {
                xMax[k] = Math.Max(xMax[k], Math.Abs(x[i * columns + k]));
                rMax[k] = Math.Max(rMax[k], Math.Abs(residual[k]));
            }
        }
        for (int k = 0; k < columns; k++)
        {
            Assert.True(rMax[k] <= (Math.Sqrt(n) / 2 + n) * Tolerance.Epsilon<double>() * normA * xMax[k] * 1.01 + double.Epsilon,
                $"column {k}: residual {rMax[k]:E3}");
        }
    }

    private static (MixedPrecisionResult Result, double[] X) Solve(double[] a, int n, double[] b, BlasOptions options, int columns = Columns)
    {
        double[] x = new double[n * columns];
        var result = MixedPrecisionCholesky.TrySolve(new ReadOnlyMatrixView<double>(a, n, n), new ReadOnlyMatrixView<double>(b, n, columns),
            new MatrixView<double>(x, n, columns), new MatrixView<float>(new float[n * n], n, n), MixedPrecisionCholesky.DefaultMaxSteps, options);
        return (result, x);
    }

    [Fact]
    public void An_ill_conditioned_matrix_is_reported_for_the_double_fallback()
    {
        // κ = 10¹⁰: rounding A to float perturbs its eigenvalues by about ε_float·‖A‖ = 6·10⁻⁸, far above the smallest (10⁻¹⁰).
        var c = new SpdCase(120, 10, 0, 5);
        int n = c.Order;
        double[] a = c.Matrix();
        double[] b = SampleData.Matrix<double>(n, 2, 6);
        var result = MixedPrecisionCholesky.TrySolve(new ReadOnlyMatrixView<double>(a, n, n), new ReadOnlyMatrixView<double>(b, n, 2),
            new MatrixView<double>(new double[n * 2], n, 2), new MatrixView<float>(new float[n * n], n, n));
        Assert.NotEqual(MixedPrecisionOutcome.Converged, result.Outcome);
    }

    [Fact]
    public void Running_out_of_steps_is_reported_as_not_converged()
    {
        // κ = 10⁴: a step shrinks the error by about κ·ε_float ≈ 6·10⁻⁴, so one refinement step leaves a backward error
        // near 10⁻⁷·ε-level scales above the √n·2⁻⁵³ the rule asks; with unlimited steps it converges.
        var c = new SpdCase(100, 4, 0, 13);
        int n = c.Order;
        double[] a = c.Matrix();
        double[] b = SampleData.Matrix<double>(n, 1, 14);
        MixedPrecisionResult Run(int steps) => MixedPrecisionCholesky.TrySolve(new ReadOnlyMatrixView<double>(a, n, n),
            new ReadOnlyMatrixView<double>(b, n, 1), new MatrixView<double>(new double[n], n, 1), new MatrixView<float>(new float[n * n], n, n), steps);
        var limited = Run(1);
        Assert.Equal(MixedPrecisionOutcome.NotConverged, limited.Outcome);
        Assert.Equal(1, limited.Steps);
        Assert.True(limited.BackwardError > Math.Sqrt(n) * Tolerance.Epsilon<double>() / 2, $"{limited}");
        var full = Run(MixedPrecisionCholesky.DefaultMaxSteps);
        Assert.Equal(MixedPrecisionOutcome.Converged, full.Outcome);
        Assert.InRange(full.Steps, 2, 10);
    }

    [Fact]
    public void Results_are_bitwise_identical_for_every_thread_count()
    {
        const int n = 150;
        double[] a = new SpdCase(n, 2, 0, 11).Matrix();
        double[] b = SampleData.Matrix<double>(n, 5, 12);
        double[] Run(BlasOptions options)
        {
            double[] x = new double[n * 5];
            MixedPrecisionCholesky.TrySolve(new ReadOnlyMatrixView<double>(a, n, n), new ReadOnlyMatrixView<double>(b, n, 5),
                new MatrixView<double>(x, n, 5), new MatrixView<float>(new float[n * n], n, n), options: options);
            return x;
        }
        double[] one = Run(BlasOptions.SingleThreaded);
        Assert.Equal(one, Run(new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }));
        Assert.Equal(one, Run(new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 }));
    }

    [Fact]
    public void Bad_input_throws_naming_the_argument_before_writing()
    {
        const int n = 4;
        double[] a = new SpdCase(n, 1, 0, 1).Matrix();
        double[] b = [1, 2, 3, 4];
        double[] x = [7, 7, 7, 7];
        float[] factor = new float[n * n];
        void Call(double[] aa, double[] bb, int rows, int maxSteps = 5) => MixedPrecisionCholesky.TrySolve(new ReadOnlyMatrixView<double>(aa, rows, n),
            new ReadOnlyMatrixView<double>(bb, n, 1), new MatrixView<double>(x, n, 1), new MatrixView<float>(factor, n, n), maxSteps);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Call(a, b, 3)).ParamName);
        double[] nan = a.ToArray();
        nan[n * (n - 1) + 1] = double.NaN;                     // lower triangle, last row: found by the norm pass before anything is written
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Call(nan, b, n)).ParamName);
        Assert.All(x, v => Assert.Equal(7.0, v));
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Call(a, [1, double.PositiveInfinity, 3, 4], n)).ParamName);
        Assert.Equal("maxSteps", Assert.Throws<ArgumentOutOfRangeException>(() => Call(a, b, n, 0)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => MixedPrecisionCholesky.TrySolve(new ReadOnlyMatrixView<double>(a, n, n),
            new ReadOnlyMatrixView<double>(b, n, 1), new MatrixView<double>(new double[6], 3, 2), new MatrixView<float>(factor, n, n))).ParamName);
        Assert.Equal("factor", Assert.Throws<ArgumentException>(() => MixedPrecisionCholesky.TrySolve(new ReadOnlyMatrixView<double>(a, n, n),
            new ReadOnlyMatrixView<double>(b, n, 1), new MatrixView<double>(x, n, 1), new MatrixView<float>(factor, 3, 3))).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => MixedPrecisionCholesky.TrySolve(new ReadOnlyMatrixView<double>(a, n, n),
            new ReadOnlyMatrixView<double>(b, n, 1), new MatrixView<double>(b, n, 1), new MatrixView<float>(factor, n, n))).ParamName);
        // The float factor laid over the double solution's memory (different element types, same bytes).
        double[] shared = new double[n * n];
        Assert.Equal("factor", Assert.Throws<ArgumentException>(() => MixedPrecisionCholesky.TrySolve(new ReadOnlyMatrixView<double>(a, n, n),
            new ReadOnlyMatrixView<double>(b, n, 1), new MatrixView<double>(shared, n, 1),
            new MatrixView<float>(MemoryMarshal.Cast<double, float>(shared.AsSpan()), n, n))).ParamName);
        Assert.All(shared, v => Assert.Equal(0.0, v));
        Assert.Equal([7.0, 7, 7, 7], x);
        Assert.All(factor, v => Assert.Equal(0f, v));
    }
}
