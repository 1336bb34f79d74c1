using Kernels.Blas;
using Kernels.Linalg;
using System.Numerics;
using Kernels.Solvers;
using Kernels.Training.Ntk;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training.Ntk;

/// <summary>
/// <see cref="KernelRidge{T}"/>: the coefficients satisfy (K + λI)·α = Y with K from the closed form (residual within the
/// backward error of Cholesky, about n·ε·‖K + λI‖·‖α‖); PCG with the Nyström preconditioner reaches the Cholesky solution
/// to the accuracy its stopping rule implies (‖Δα‖ ≤ κ·rtol·‖α‖ with κ = ‖K + λI‖/λ); predictions at the training
/// points are Y − λα (since K·α = Y − λα); bad input is rejected.
/// </summary>
public sealed class KernelRidgeTests
{
    private const int N = 80, D = 6, C = 3;

    private static (double[] X, double[] Y) Problem()
    {
        double[] x = NtkTestData.Sphere<double>(N, D, 21);
        var random = new System.Random(22);
        double[] y = Enumerable.Range(0, N * C).Select(_ => TestMatrices.Gaussian(random)).ToArray();
        return (x, y);
    }

    [Fact]
    public void Cholesky_coefficients_solve_the_regularized_system_and_predictions_at_training_points_are_Y_minus_lambda_alpha()
    {
        var (x, y) = Problem();
        const double lambda = 0.05;
        var model = KernelRidge<double>.Fit(new ReadOnlyMatrixView<double>(x, N, D), new ReadOnlyMatrixView<double>(y, N, C),
            new KernelRidgeOptions { Lambda = lambda, Solver = KernelRidgeSolver.Cholesky });
        Assert.Equal(KernelRidgeSolver.Cholesky, model.Solver);
        var alpha = model.Coefficients;
        double alphaNorm = 0;
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < C; j++)
            {
                alphaNorm = Math.Max(alphaNorm, Math.Abs(alpha[i, j]));
            }
        }
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < C; j++)
            {
                double sum = lambda * alpha[i, j];
                for (int l = 0; l < N; l++)
                {
                    sum += NeuralTangentKernel.Evaluate(x.AsSpan(i * D, D), x.AsSpan(l * D, D)) * alpha[l, j];
                }
                // ‖K‖ ≤ n/2 on the unit sphere; backward error of Cholesky and of the kernel entries: (n + d)·ε·‖K + λI‖·‖α‖.
                Tolerance.AssertClose(sum, y[i * C + j], (N / 2.0 + lambda) * alphaNorm * N, 4 * (N + D), $"row {i}, rhs {j}");
            }
        }
        var predictions = new double[N * C];
        model.Predict(new ReadOnlyMatrixView<double>(x, N, D), new MatrixView<double>(predictions, N, C));
        for (int i = 0; i < N * C; i++)
        {
            // Each K(x_i, x_i) of the cross build carries the √(2δ) arccos error at u ≈ 1 (see NeuralTangentKernelTests), times |α_i|.
            double bound = N * alphaNorm * (Math.Sqrt(2 * (D + 4) * Tolerance.Epsilon<double>()) / (2 * Math.PI) + 4 * (N + D) * Tolerance.Epsilon<double>());
            Assert.True(Math.Abs(predictions[i] - (y[i] - lambda * alpha[i / C, i % C])) <= bound, $"prediction {i}");
        }
    }

    [Fact]
    public void Nystrom_PCG_matches_Cholesky()
    {
        Check<double>(1e-12, 1e-6);
        Check<float>(1e-6, 3e-2);

        static void Check<T>(double rtol, double agreement) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (x, y) = Problem();
            var xs = new ReadOnlyMatrixView<T>(x.Select(T.CreateChecked).ToArray(), N, D);
            var ys = new ReadOnlyMatrixView<T>(y.Select(T.CreateChecked).ToArray(), N, C);
            const double lambda = 0.05;
            var direct = KernelRidge<T>.Fit(xs, ys, new KernelRidgeOptions { Lambda = lambda, Solver = KernelRidgeSolver.Cholesky });
            var iterative = KernelRidge<T>.Fit(xs, ys, new KernelRidgeOptions
            {
                Lambda = lambda, Solver = KernelRidgeSolver.NystromPcg, PreconditionerRank = 20, RelativeTolerance = rtol, Seed = 3,
            });
            Assert.All(iterative.Statuses, s => Assert.Equal(SolverStatus.Converged, s));
            Assert.All(iterative.Iterations, k => Assert.InRange(k, 1, N));
            double scale = 0, difference = 0;
            for (int i = 0; i < N; i++)
            {
                for (int j = 0; j < C; j++)
                {
                    double a = double.CreateChecked(direct.Coefficients[i, j]), b = double.CreateChecked(iterative.Coefficients[i, j]);
                    scale = Math.Max(scale, Math.Abs(a));
                    difference = Math.Max(difference, Math.Abs(a - b));
                }
            }
            // κ(K + λI) ≤ (n/2 + λ)/λ ≈ 800: rtol·κ bounds the relative error, and float Cholesky itself is off by n·ε·κ.
            Assert.True(difference <= agreement * scale, $"{typeof(T).Name}: max |Δα| = {difference:E3} against max |α| = {scale:E3}");
        }
    }

    [Fact]
    public void Cholesky_solvers_read_only_the_lower_triangle_of_a_given_kernel()
    {
        var (x, y) = Problem();
        var xs = new ReadOnlyMatrixView<double>(x, N, D);
        var ys = new ReadOnlyMatrixView<double>(y, N, C);
        foreach (var solver in new[] { KernelRidgeSolver.Cholesky, KernelRidgeSolver.MixedPrecisionCholesky })
        {
            var options = new KernelRidgeOptions { Lambda = 0.05, Solver = solver };
            var full = new Matrix<double>(N, N);
            NeuralTangentKernel.Build(xs, full.View);
            var lower = new Matrix<double>(N, N);
            NeuralTangentKernel.BuildLower(xs, lower.View);
            for (int i = 0; i < N; i++)
            {
                lower.Row(i)[(i + 1)..].Fill(double.NaN);
            }
            var reference = KernelRidge<double>.Fit(xs, full, ys, options);
            var fitted = KernelRidge<double>.Fit(xs, lower, ys, options);
            Assert.Equal(reference.Solver, fitted.Solver);
            for (int i = 0; i < N; i++)
            {
                for (int j = 0; j < C; j++)
                {
                    Tolerance.AssertIdentical(reference.Coefficients[i, j], fitted.Coefficients[i, j], $"{solver}: α[{i}, {j}]");
                }
            }
            // A NaN in the lower triangle is still rejected, naming the kernel, before anything is solved.
            var bad = new Matrix<double>(N, N);
            NeuralTangentKernel.Build(xs, bad.View);
            bad[N - 1, 3] = double.NaN;
            Assert.Throws<ArgumentException>("kernel", () => KernelRidge<double>.Fit(new ReadOnlyMatrixView<double>(x, N, D), bad, new ReadOnlyMatrixView<double>(y, N, C), options));
        }
        // Non-finite entries in several parts of the threaded check: the first row's is named, on one thread or several.
        foreach (var blas in new[] { BlasOptions.SingleThreaded, new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 } })
        {
            var twice = new Matrix<double>(N, N);
            NeuralTangentKernel.Build(xs, twice.View);
            twice[N - 1, 2] = double.NaN;
            twice[N / 3, 1] = double.PositiveInfinity;
            var error = Assert.Throws<ArgumentException>("kernel", () => KernelRidge<double>.Fit(new ReadOnlyMatrixView<double>(x, N, D), twice,
                new ReadOnlyMatrixView<double>(y, N, C), new KernelRidgeOptions { Lambda = 0.05, Solver = KernelRidgeSolver.MixedPrecisionCholesky, Blas = blas }));
            Assert.Contains($"kernel[{N / 3}, 1] is", error.Message);
        }
        // PCG reads both triangles, so it checks both.
        var pcgKernel = new Matrix<double>(N, N);
        NeuralTangentKernel.Build(xs, pcgKernel.View);
        pcgKernel[3, N - 1] = double.PositiveInfinity;
        Assert.Throws<ArgumentException>("kernel", () => KernelRidge<double>.Fit(new ReadOnlyMatrixView<double>(x, N, D), pcgKernel, new ReadOnlyMatrixView<double>(y, N, C), new KernelRidgeOptions { Lambda = 0.05, Solver = KernelRidgeSolver.NystromPcg }));
    }

    [Fact]
    public void Mixed_precision_matches_Cholesky_when_float_suffices_and_falls_back_to_it_when_not()
    {
        var (x, y) = Problem();
        var xs = new ReadOnlyMatrixView<double>(x, N, D);
        var ys = new ReadOnlyMatrixView<double>(y, N, C);
        // λ = 0.05: κ(K + λI) ≤ (n/2 + λ)/λ ≈ 800, so κ·ε_float ≈ 5·10⁻⁵ and refinement converges; both answers then carry
        // the forward error of a backward-stable double solve, n·κ·ε_double relative.
        var direct = KernelRidge<double>.Fit(xs, ys, new KernelRidgeOptions { Lambda = 0.05, Solver = KernelRidgeSolver.Cholesky });
        var mixed = KernelRidge<double>.Fit(xs, ys, new KernelRidgeOptions { Lambda = 0.05, Solver = KernelRidgeSolver.MixedPrecisionCholesky });
        Assert.Equal(KernelRidgeSolver.MixedPrecisionCholesky, mixed.Solver);
        Assert.Equal(MixedPrecisionOutcome.Converged, mixed.Refinement!.Value.Outcome);
        Assert.Null(direct.Refinement);
        double scale = 0, difference = 0;
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < C; j++)
            {
                scale = Math.Max(scale, Math.Abs(direct.Coefficients[i, j]));
                difference = Math.Max(difference, Math.Abs(direct.Coefficients[i, j] - mixed.Coefficients[i, j]));
            }
        }
        Assert.True(difference <= 8 * N * 800 * Tolerance.Epsilon<double>() * scale, $"max |Δα| = {difference:E3} against max |α| = {scale:E3}");

        // Point 1 repeated as point 0 makes K singular; with λ = 10⁻¹⁰ the smallest eigenvalue of K + λI is far below
        // ε_float·‖K‖ ≈ 10⁻⁶ (κ·ε_float ≈ 10³), so the float attempt fails and the double factor answers: the same bits as the
        // Cholesky solver (which succeeds: κ·ε_double ≈ 10⁻⁵).
        double[] repeated = x.ToArray();
        Array.Copy(x, D, repeated, 0, D);
        var xr = new ReadOnlyMatrixView<double>(repeated, N, D);
        var tinyDirect = KernelRidge<double>.Fit(xr, ys, new KernelRidgeOptions { Lambda = 1e-10, Solver = KernelRidgeSolver.Cholesky });
        var fallback = KernelRidge<double>.Fit(xr, ys, new KernelRidgeOptions { Lambda = 1e-10, Solver = KernelRidgeSolver.MixedPrecisionCholesky });
        Assert.Equal(KernelRidgeSolver.Cholesky, fallback.Solver);
        Assert.NotEqual(MixedPrecisionOutcome.Converged, fallback.Refinement!.Value.Outcome);
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < C; j++)
            {
                Tolerance.AssertIdentical(tinyDirect.Coefficients[i, j], fallback.Coefficients[i, j], $"α[{i}, {j}]");
            }
        }

        // Float elements: nothing to refine towards, so the float Cholesky runs and no attempt is reported.
        var single = KernelRidge<float>.Fit(new ReadOnlyMatrixView<float>(x.Select(v => (float)v).ToArray(), N, D),
            new ReadOnlyMatrixView<float>(y.Select(v => (float)v).ToArray(), N, C), new KernelRidgeOptions { Lambda = 0.05, Solver = KernelRidgeSolver.MixedPrecisionCholesky });
        Assert.Equal(KernelRidgeSolver.Cholesky, single.Solver);
        Assert.Null(single.Refinement);
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var (x, y) = Problem();
        KernelRidge<double> Fit(double[] targets, int rows, int columns, KernelRidgeOptions? options = null) =>
            KernelRidge<double>.Fit(new ReadOnlyMatrixView<double>(x, N, D), new ReadOnlyMatrixView<double>(targets, rows, columns), options);
        Assert.Throws<ArgumentOutOfRangeException>("Lambda", () => Fit(y, N, C, new KernelRidgeOptions { Lambda = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("Lambda", () => Fit(y, N, C, new KernelRidgeOptions { Lambda = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>("Lambda", () => Fit(y, N, C, new KernelRidgeOptions { Lambda = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>("Solver", () => Fit(y, N, C, new KernelRidgeOptions { Solver = (KernelRidgeSolver)9 }));
        Assert.Throws<ArgumentOutOfRangeException>("PreconditionerRank", () => Fit(y, N, C, new KernelRidgeOptions { PreconditionerRank = 0 }));
        Assert.Throws<ArgumentException>("targets", () => Fit(y, N - 1, C));
        Assert.Throws<ArgumentException>("targets", () => Fit(y, N, 0));
        double[] nan = (double[])y.Clone();
        nan[5] = double.NaN;
        Assert.Throws<ArgumentException>("targets", () => Fit(nan, N, C));
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            double[] nonFinite = (double[])x.Clone();
            nonFinite[N * D - 1] = bad;
            Assert.Throws<ArgumentException>("x", () => KernelRidge<double>.Fit(new ReadOnlyMatrixView<double>(nonFinite, N, D), new ReadOnlyMatrixView<double>(y, N, C)));
            // With the caller's kernel, X is checked before the kernel is factored in place: it is left as it was.
            var given = new Matrix<double>(N, N);
            NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(x, N, D), given.View);
            var before = given.AsSpan().ToArray();
            Assert.Throws<ArgumentException>("x", () => KernelRidge<double>.Fit(new ReadOnlyMatrixView<double>(nonFinite, N, D), given, new ReadOnlyMatrixView<double>(y, N, C)));
            Assert.Equal(before, given.AsSpan().ToArray());
        }
        Assert.Throws<ArgumentException>("kernel", () => KernelRidge<double>.Fit(new ReadOnlyMatrixView<double>(x, N, D), new Matrix<double>(N - 1, N - 1), new ReadOnlyMatrixView<double>(new double[N], N, 1)));
        // 100,000 points need a 100,000² kernel matrix: 80 GB, refused before anything is allocated.
        var error = Assert.Throws<InsufficientMemoryException>(() =>
            KernelRidge<double>.Fit(new ReadOnlyMatrixView<double>(new double[100_000], 100_000, 1), new ReadOnlyMatrixView<double>(new double[100_000], 100_000, 1)));
        Assert.Contains("80,000,000,000 bytes", error.Message);

        var model = Fit(y, N, C);
        Assert.Throws<ArgumentException>("points", () => model.Predict(new ReadOnlyMatrixView<double>(x, D, N), new MatrixView<double>(new double[D * C], D, C)));
        Assert.Throws<ArgumentException>("predictions", () => model.Predict(new ReadOnlyMatrixView<double>(x, N, D), new MatrixView<double>(new double[N * 2], N, 2)));
    }
}
