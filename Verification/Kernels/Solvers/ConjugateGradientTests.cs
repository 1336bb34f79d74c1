using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Solvers;
using Kernels.Sparse;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Solvers;

/// <summary>
/// <see cref="ConjugateGradient"/>: convergence to the requested tolerance on random SPD systems, iteration counts against
/// the Chebyshev bound on (shifted) 1-D Poisson matrices, one-step convergence with an exact preconditioner, and every
/// failure reported as a status. All data come from fixed seeds, so each count is deterministic; the margins below only
/// absorb the last-bit differences between vector widths and fused or separate multiply-add.
/// </summary>
public sealed class ConjugateGradientTests
{
    /// <summary>
    /// The Chebyshev bound for a relative residual ε from x₀ = 0: ‖e_k‖_A ≤ 2·((√κ − 1)/(√κ + 1))^k·‖e₀‖_A, and
    /// ‖r‖/‖b‖ ≤ √κ·‖e‖_A/‖e₀‖_A, so k = ln(2√κ/ε) / ln((√κ + 1)/(√κ − 1)) ≈ ½·√κ·ln(2√κ/ε) iterations suffice.
    /// </summary>
    private static double ChebyshevIterations(double kappa, double epsilon)
    {
        double root = Math.Sqrt(kappa);
        return Math.Log(2 * root / epsilon) / Math.Log((root + 1) / (root - 1));
    }

    // ---- Convergence -----------------------------------------------------------------------------------------

    [KernelProperty(MaxTest = 40)]
    public void Random_SPD_systems_are_solved_to_the_requested_tolerance(SpdCase c)
    {
        CheckRandomSystem<double>(c.Capped(5), 1e-9);
        CheckRandomSystem<float>(c.Capped(2), 1e-4);
    }

    /// <summary>
    /// Solves A·x = b for A = V·diag(λ)·Vᵀ (‖A‖ = 1) and checks the true residual: the recurrence residual is below
    /// rtol·‖b‖, and it drifts from b − A·x̂ by at most about (k + n)·ε·‖A‖·‖x̂‖ (rounding in k updates and in the
    /// products), which the bound allows four times over.
    /// </summary>
    private static void CheckRandomSystem<T>(SpdCase c, double rtol) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Order;
        T[] a = TestMatrices.Stored(c.Matrix(), n, n, n, T.Zero);
        T[] b = SampleData.Vector<T>(n, ValueKind.Uniform, c.Seed + 1).ToArray();
        T[] x = new T[n];
        var op = new DenseOperator<T>(a, n);
        var result = ConjugateGradient.Solve(op, b, x, null, new ConjugateGradientOptions { RelativeTolerance = rtol });
        Assert.True(result.Status == SolverStatus.Converged, $"{typeof(T).Name} status {result.Status} after {result.Iterations}, {c}");
        Assert.True(result.RelativeResidual <= rtol, $"{typeof(T).Name} reported residual {result.RelativeResidual:E3}, {c}");

        double bNorm = Reference.Nrm2<T>(b), xNorm = Reference.Nrm2<T>(x), residual = 0;
        for (int i = 0; i < n; i++)
        {
            var (ax, _) = Reference.Dot<T>(a.AsSpan(i * n, n), x);
            double d = double.CreateChecked(b[i]) - ax;
            residual += d * d;
        }
        double bound = rtol + 4 * (result.Iterations + n) * Tolerance.Epsilon<T>() * xNorm / Math.Max(bNorm, double.Epsilon);
        Assert.True(Math.Sqrt(residual) <= bound * bNorm, $"{typeof(T).Name} true residual {Math.Sqrt(residual) / bNorm:E3} exceeds {bound:E3}, {c}");
    }

    [Fact]
    public void Poisson_1D_iterations_grow_like_the_square_root_of_kappa()
    {
        // On tridiag(−1, 2, −1) the Chebyshev count ½√κ·ln(2√κ/ε) exceeds n, so CG stops by finite termination after
        // about n ≈ (π/2)·√κ steps: the count is linear in √κ. Doubling n (and √κ) must double it.
        double previousPerRoot = 0;
        foreach (int n in new[] { 49, 99, 199, 399 })
        {
            double kappa = TestMatrices.Poisson1DCondition(n, 0);
            int iterations = SolvePoisson(n, 0, 1e-8, out _);
            Assert.True(iterations <= ChebyshevIterations(kappa, 1e-8), $"n={n}: {iterations} iterations exceed the Chebyshev bound");
            Assert.InRange(iterations, n - 2, n + 2);
            double perRoot = iterations / Math.Sqrt(kappa);
            if (previousPerRoot > 0)
            {
                Assert.InRange(perRoot / previousPerRoot, 0.9, 1.1);
            }
            previousPerRoot = perRoot;
        }
    }

    [Theory]
    [InlineData(1e2)]
    [InlineData(1e3)]
    [InlineData(1e4)]
    public void Shifted_Poisson_iterations_follow_the_Chebyshev_rate(double targetKappa)
    {
        // tridiag(−1, 2, −1) + σI with n = 2000 ≫ √κ: the spectrum fills [σ, 4 + σ] with the arcsine density, for which the
        // Chebyshev rate (√κ − 1)/(√κ + 1) per step is attained. So (a) every count is within the bound and not far below
        // it, and (b) each further factor ε₁/ε₂ of residual costs ½·√κ·ln(ε₁/ε₂) iterations (observed within 5 %).
        const int n = 2000;
        double shift = 4 / (targetKappa - 1);
        double kappa = TestMatrices.Poisson1DCondition(n, shift);
        double[] tolerances = [1e-4, 1e-8, 1e-12];
        var counts = new int[tolerances.Length];
        for (int i = 0; i < tolerances.Length; i++)
        {
            counts[i] = SolvePoisson(n, shift, tolerances[i], out var result);
            Assert.Equal(SolverStatus.Converged, result.Status);
            double bound = ChebyshevIterations(kappa, tolerances[i]);
            Assert.True(counts[i] <= bound && counts[i] >= bound / 2, $"κ={kappa:E2}, ε={tolerances[i]}: {counts[i]} iterations, bound {bound:F0}");
        }
        double perDecade = 0.5 * Math.Sqrt(kappa) * Math.Log(1e4);
        Assert.InRange((counts[1] - counts[0]) / perDecade, 0.85, 1.15);
        Assert.InRange((counts[2] - counts[1]) / perDecade, 0.85, 1.15);
    }

    private static int SolvePoisson(int n, double shift, double rtol, out ConjugateGradientResult result)
    {
        var op = new ShiftedOperator<double>(new CsrOperator<double>(TestMatrices.Poisson1D<double>(n)), shift);
        double[] b = SampleData.Vector<double>(n, ValueKind.Uniform, 5).ToArray();
        result = ConjugateGradient.Solve(op, b, new double[n], JacobiPreconditioner<double>.FromOperator(op), new ConjugateGradientOptions { RelativeTolerance = rtol });
        return result.Iterations;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void An_exact_preconditioner_converges_in_one_or_two_iterations(int logCondition)
    {
        // M = A: z₀ = A⁻¹b is the solution and α = 1, so one step is exact; rounding (about n·κ·ε) may call for a second.
        var c = new SpdCase(120, logCondition, 0, 3);
        double[] a = c.Matrix();
        double[] b = SampleData.Vector<double>(120, ValueKind.Uniform, 4).ToArray();
        double[] x = new double[120];
        var result = ConjugateGradient.Solve(new DenseOperator<double>(a, 120), b, x,
            new CholeskyPreconditioner<double>(new ReadOnlyMatrixView<double>(a, 120, 120)), new ConjugateGradientOptions { RelativeTolerance = 1e-8 });
        Assert.Equal(SolverStatus.Converged, result.Status);
        Assert.InRange(result.Iterations, 1, 2);
    }

    [Fact]
    public void Jacobi_helps_when_the_diagonal_varies()
    {
        // D·P·D with P the Poisson matrix and D spanning three decades: badly scaled, fixed exactly by Jacobi.
        const int n = 300;
        CsrMatrix<double> p = TestMatrices.Poisson1D<double>(n);
        var scale = Enumerable.Range(0, n).Select(i => Math.Pow(10, 3.0 * i / n)).ToArray();
        var values = new List<double>();
        var rows = new List<int>();
        var cols = new List<int>();
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<int> columns = p.ColumnIndicesOfRow(i);
            ReadOnlySpan<double> v = p.ValuesOfRow(i);
            for (int k = 0; k < columns.Length; k++)
            {
                rows.Add(i);
                cols.Add(columns[k]);
                values.Add(scale[i] * v[k] * scale[columns[k]]);
            }
        }
        var op = new CsrOperator<double>(CsrMatrix<double>.FromTriplets(n, n, rows.ToArray(), cols.ToArray(), values.ToArray()));
        double[] b = SampleData.Vector<double>(n, ValueKind.Uniform, 6).ToArray();
        var options = new ConjugateGradientOptions { RelativeTolerance = 1e-8, MaxIterations = 20 * n };
        var plain = ConjugateGradient.Solve(op, b, new double[n], null, options);
        var jacobi = ConjugateGradient.Solve(op, b, new double[n], JacobiPreconditioner<double>.FromOperator(op), options);
        Assert.Equal(SolverStatus.Converged, jacobi.Status);
        Assert.True(jacobi.Iterations * 2 < plain.Iterations, $"Jacobi {jacobi.Iterations} vs plain {plain.Iterations} ({plain.Status})");
    }

    // ---- Scale invariance ------------------------------------------------------------------------------------

    [Fact]
    public void Scaling_b_or_A_by_a_power_of_two_keeps_the_iterations_and_scales_the_solution()
    {
        CheckScaleInvariance<float>(1e-5);
        CheckScaleInvariance<double>(1e-12);
    }

    /// <summary>
    /// A shifted 1-D Poisson matrix (entries 2.1 and −1, κ ≈ 40) and b with |b[i]| in [0.5, 1), solved once as the
    /// reference; then b·2^k for every k that keeps b normal and x finite, and A·2^j for every j that keeps the products
    /// A·p out of the subnormal range (|j| ≤ maxExponent − 16). CG is scale-invariant, so each must converge in the
    /// reference's iterations to the scaled reference. Before the iteration worked on b/2^⌊log₂‖b‖⌋, rᵀr overflowed
    /// for float b near 2^64 (NonFinite) and underflowed near 2^-64 (Breakdown); before pᵀAp was rescaled, a double
    /// A near 2^-1000 underflowed it in the last iterations.
    /// </summary>
    private static void CheckScaleInvariance<T>(double rtol) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int n = 40;
        int maxExponent = typeof(T) == typeof(float) ? 127 : 1023, minNormalExponent = 1 - maxExponent;
        T[] a = new T[n * n];
        for (int i = 0; i < n; i++)
        {
            a[i * n + i] = T.CreateChecked(2.1);
            if (i > 0)
            {
                a[i * n + i - 1] = a[(i - 1) * n + i] = -T.One;
            }
        }
        var random = new System.Random(5);
        T[] b = Enumerable.Range(0, n).Select(_ => T.CreateChecked((random.Next(2) * 2 - 1) * (0.5 + 0.5 * random.NextDouble()))).ToArray();
        var options = new ConjugateGradientOptions { RelativeTolerance = rtol };
        T[] reference = new T[n];
        var expected = ConjugateGradient.Solve(new DenseOperator<T>(a, n), b, reference, null, options);
        Assert.Equal(SolverStatus.Converged, expected.Status);
        T largest = reference.Select(T.Abs).Max();
        int xExponent = T.ILogB(largest);
        double tolerance = 8 * Tolerance.Epsilon<T>() * double.CreateChecked(largest);

        void Check(T[] matrix, T[] rhs, int solutionExponent, string what)
        {
            T[] x = new T[n];
            var result = ConjugateGradient.Solve(new DenseOperator<T>(matrix, n), rhs, x, null, options);
            Assert.True(result.Status == SolverStatus.Converged && result.Iterations == expected.Iterations,
                $"{typeof(T).Name} {what}: {result.Status} after {result.Iterations}; the reference converged after {expected.Iterations}");
            for (int i = 0; i < n; i++)
            {
                double error = Math.Abs(double.CreateChecked(T.ScaleB(x[i], -solutionExponent)) - double.CreateChecked(reference[i]));
                Assert.True(error <= tolerance, $"{typeof(T).Name} {what}: x[{i}]·2^{-solutionExponent} is off by {error:E3}");
            }
        }

        for (int k = minNormalExponent + 1; k < maxExponent - xExponent; k++)
        {
            Check(a, b.Select(v => T.ScaleB(v, k)).ToArray(), k, $"b·2^{k}");
        }
        for (int j = -(maxExponent - 16); j <= maxExponent - 16; j++)
        {
            Check(a.Select(v => T.ScaleB(v, j)).ToArray(), b, -j, $"A·2^{j}");
        }
    }

    // ---- Statuses --------------------------------------------------------------------------------------------

    [Fact]
    public void An_indefinite_operator_reports_Breakdown_instead_of_looping()
    {
        // A = V·diag(λ)·Vᵀ with mixed signs and b an eigenvector of a negative eigenvalue: p₀ᵀAp₀ = λ·‖b‖² < 0 at once.
        const int n = 40;
        double[] lambda = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? -1.0 - i : 1.0 + i).ToArray();
        double[] a = TestMatrices.SymmetricWithEigenvalues(lambda, 7);
        double[] v = TestMatrices.OrthonormalColumns(n, n, 7);
        double[] b = Enumerable.Range(0, n).Select(i => v[i * n + 3]).ToArray();
        double[] x = new double[n];
        var result = ConjugateGradient.Solve(new DenseOperator<double>(a, n), b, x);
        Assert.Equal(SolverStatus.Breakdown, result.Status);
        Assert.Equal(0, result.Iterations);
        Assert.All(x, value => Assert.Equal(0.0, value));

        // A generic b on the same matrix: CG must stop (Breakdown, or a status) well before looping forever.
        double[] generic = SampleData.Vector<double>(n, ValueKind.Uniform, 8).ToArray();
        result = ConjugateGradient.Solve(new DenseOperator<double>(a, n), generic, x, null, new ConjugateGradientOptions { MaxIterations = 10_000 });
        Assert.NotEqual(SolverStatus.MaxIterations, result.Status);
        Assert.True(result.Iterations < 10_000);
    }

    [Fact]
    public void A_negative_definite_preconditioner_reports_Breakdown()
    {
        const int n = 30;
        var op = new DenseOperator<double>(new SpdCase(n, 1, 0, 2).Matrix(), n);
        var result = ConjugateGradient.Solve(op, SampleData.Vector<double>(n, ValueKind.Uniform, 1).ToArray(), new double[n], new NegatingPreconditioner(n));
        Assert.Equal(SolverStatus.Breakdown, result.Status);
        Assert.Equal(0, result.Iterations);
    }

    [Fact]
    public void Non_finite_input_gives_NonFinite_without_throwing()
    {
        const int n = 25;
        var op = new DenseOperator<double>(new SpdCase(n, 2, 0, 1).Matrix(), n);
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity })
        {
            double[] b = SampleData.Vector<double>(n, ValueKind.Uniform, 2).ToArray();
            b[7] = bad;
            var result = ConjugateGradient.Solve(op, b, new double[n]);
            Assert.Equal(SolverStatus.NonFinite, result.Status);
            Assert.Equal(0, result.Iterations);

            double[] good = SampleData.Vector<double>(n, ValueKind.Uniform, 2).ToArray();
            double[] guess = new double[n];
            guess[3] = bad;
            Assert.Equal(SolverStatus.NonFinite, ConjugateGradient.Solve(op, good, guess, null, new ConjugateGradientOptions { InitialGuess = InitialGuess.FromX }).Status);
            // A zero start ignores whatever x held.
            Assert.Equal(SolverStatus.Converged, ConjugateGradient.Solve(op, good, guess).Status);
        }
    }

    [Fact]
    public void An_operator_that_turns_NaN_mid_solve_gives_NonFinite_at_that_iteration()
    {
        const int n = 50;
        double[] a = new SpdCase(n, 4, 0, 5).Matrix();
        var dense = new DenseOperator<double>(a, n);
        int calls = 0;
        var poisoned = new DelegateOperator<double>(n, (x, y) =>
        {
            dense.Apply(x, y);
            if (++calls == 4)
            {
                y[10] = double.NaN;
            }
        });
        double[] solution = new double[n];
        var result = ConjugateGradient.Solve(poisoned, SampleData.Vector<double>(n, ValueKind.Uniform, 6).ToArray(), solution);
        Assert.Equal(SolverStatus.NonFinite, result.Status);
        Assert.Equal(3, result.Iterations);
        Assert.All(solution, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void MaxIterations_b_zero_and_empty_systems_end_with_the_right_status()
    {
        const int n = 60;
        var op = new CsrOperator<double>(TestMatrices.Poisson1D<double>(n));
        double[] b = SampleData.Vector<double>(n, ValueKind.Uniform, 1).ToArray();
        var limited = ConjugateGradient.Solve(op, b, new double[n], null, new ConjugateGradientOptions { MaxIterations = 7 });
        Assert.Equal(SolverStatus.MaxIterations, limited.Status);
        Assert.Equal(7, limited.Iterations);
        Assert.True(limited.RelativeResidual > 1e-6);

        double[] x = Enumerable.Repeat(3.0, n).ToArray();
        var zero = ConjugateGradient.Solve(op, new double[n], x, null, new ConjugateGradientOptions { InitialGuess = InitialGuess.FromX });
        Assert.Equal(new ConjugateGradientResult(SolverStatus.Converged, 0, 0, 0, null), zero);
        Assert.All(x, v => Assert.Equal(0.0, v));

        var empty = ConjugateGradient.Solve(new DelegateOperator<double>(0, (_, _) => { }), [], []);
        Assert.Equal(SolverStatus.Converged, empty.Status);
    }

    [Fact]
    public void A_warm_start_at_the_solution_converges_at_once_and_absolute_tolerance_is_honoured()
    {
        const int n = 80;
        var op = new CsrOperator<double>(TestMatrices.Poisson1D<double>(n));
        double[] b = SampleData.Vector<double>(n, ValueKind.Uniform, 2).ToArray();
        double[] x = new double[n];
        ConjugateGradient.Solve(op, b, x, null, new ConjugateGradientOptions { RelativeTolerance = 1e-12 });
        var warm = ConjugateGradient.Solve(op, b, x, null, new ConjugateGradientOptions { RelativeTolerance = 1e-10, InitialGuess = InitialGuess.FromX });
        Assert.Equal(SolverStatus.Converged, warm.Status);
        Assert.Equal(0, warm.Iterations);

        double bNorm = Math.Sqrt(b.Sum(v => v * v));
        var absolute = ConjugateGradient.Solve(op, b, new double[n], null, new ConjugateGradientOptions { RelativeTolerance = 0, AbsoluteTolerance = 1e-3 * bNorm });
        var relative = ConjugateGradient.Solve(op, b, new double[n], null, new ConjugateGradientOptions { RelativeTolerance = 1e-3 });
        Assert.Equal(relative.Iterations, absolute.Iterations);
        Assert.True(absolute.ResidualNorm <= 1e-3 * bNorm);
    }

    // ---- Reporting -------------------------------------------------------------------------------------------

    [Fact]
    public void Progress_is_reported_every_iteration_and_the_history_matches_it()
    {
        const int n = 100;
        var op = new CsrOperator<double>(TestMatrices.Poisson1D<double>(n));
        double[] b = SampleData.Vector<double>(n, ValueKind.Uniform, 3).ToArray();
        var seen = new List<ConjugateGradientProgress>();
        var result = ConjugateGradient.Solve(op, b, new double[n], null,
            new ConjugateGradientOptions { RecordResidualHistory = true, Progress = seen.Add, RelativeTolerance = 1e-6 });
        Assert.Equal(SolverStatus.Converged, result.Status);
        Assert.NotNull(result.ResidualHistory);
        Assert.Equal(result.Iterations + 1, result.ResidualHistory.Count);
        Assert.Equal(1.0, result.ResidualHistory[0]);
        Assert.Equal(result.Iterations, seen.Count);
        for (int k = 0; k < seen.Count; k++)
        {
            Assert.Equal(k + 1, seen[k].Iteration);
            Assert.Equal(result.ResidualHistory[k + 1], seen[k].RelativeResidual);
        }
        Assert.Equal(result.RelativeResidual, result.ResidualHistory[^1]);
        Assert.True(result.ResidualHistory[^2] > 1e-6 && result.ResidualHistory[^1] <= 1e-6);
        Assert.Null(ConjugateGradient.Solve(op, b, new double[n]).ResidualHistory);
    }

    // ---- Contracts -------------------------------------------------------------------------------------------

    [Fact]
    public void Mismatched_dimensions_and_bad_options_throw_before_any_iteration()
    {
        const int n = 10;
        int applications = 0;
        var op = new DelegateOperator<double>(n, (x, y) => { applications++; x.CopyTo(y); });
        double[] b = new double[n], x = Enumerable.Repeat(7.0, n).ToArray();
        b[0] = 1;
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => ConjugateGradient.Solve(op, new double[n - 1], x)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => ConjugateGradient.Solve(op, b, new double[n + 1])).ParamName);
        Assert.Equal("preconditioner", Assert.Throws<ArgumentException>(() => ConjugateGradient.Solve(op, b, x, new IdentityPreconditioner<double>(n + 1))).ParamName);
        Assert.Equal("workspace", Assert.Throws<ArgumentException>(() => ConjugateGradient.Solve(op, b, x, null, null, new ConjugateGradientWorkspace<double>(n - 1))).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => ConjugateGradient.Solve(op, b, b)).ParamName);
        Assert.Throws<ArgumentNullException>(() => ConjugateGradient.Solve<double>(null!, b, x));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConjugateGradient.Solve(op, b, x, null, new ConjugateGradientOptions { RelativeTolerance = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConjugateGradient.Solve(op, b, x, null, new ConjugateGradientOptions { AbsoluteTolerance = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConjugateGradient.Solve(op, b, x, null, new ConjugateGradientOptions { MaxIterations = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConjugateGradient.Solve(op, b, x, null, new ConjugateGradientOptions { InitialGuess = (InitialGuess)5 }));
        Assert.Equal(0, applications);
        Assert.All(x, v => Assert.Equal(7.0, v));
    }

    [Fact]
    public void Iterations_do_not_allocate_given_a_workspace()
    {
        // The same solve capped at 5 and at 60 iterations (neither converges): with single-threaded operators, no history
        // and no callback, neither allocates a byte, so no iteration does.
        const int n = 400;
        var csr = new CsrOperator<double>(TestMatrices.Poisson1D<double>(n), BlasOptions.SingleThreaded);
        var dense = new DenseOperator<double>(new SpdCase(n, 6, 0, 1).Matrix(), n, BlasOptions.SingleThreaded);
        var shifted = new ShiftedOperator<double>(csr, 1e-3);
        var jacobi = JacobiPreconditioner<double>.FromOperator(shifted);
        var cholesky = new CholeskyPreconditioner<double>(new ReadOnlyMatrixView<double>(new SpdCase(n, 1, 0, 2).Matrix(), n, n), BlasOptions.SingleThreaded);
        var workspace = new ConjugateGradientWorkspace<double>(n);
        double[] b = SampleData.Vector<double>(n, ValueKind.Uniform, 1).ToArray(), x = new double[n];
        foreach (int limit in new[] { 5, 60 })
        {
            var options = new ConjugateGradientOptions { MaxIterations = limit, RelativeTolerance = 1e-300 };
            ConjugateGradientResult last = default;
            long allocated = Allocation.Measure(() =>
            {
                last = ConjugateGradient.Solve(shifted, b, x, jacobi, options, workspace);
                ConjugateGradient.Solve(dense, b, x, cholesky, options, workspace);
                ConjugateGradient.Solve(csr, b, x, null, options, workspace);
            });
            Assert.Equal(0, allocated);
            Assert.Equal(SolverStatus.MaxIterations, last.Status);
            Assert.Equal(limit, last.Iterations);
        }
    }

    [Fact]
    public void Results_are_bitwise_identical_for_every_thread_count()
    {
        // 2-D Poisson on a 40 × 40 grid through threaded SpMV, and a dense operator through threaded Gemv.
        const int g = 40, n = g * g;
        CsrMatrix<double> poisson = TestMatrices.Poisson2D<double>(g);
        double[] dense = new SpdCase(300, 3, 0, 4).Matrix();
        double[] b = SampleData.Vector<double>(n, ValueKind.Uniform, 9).ToArray();
        (double[] X, int Iterations) Run(BlasOptions options, bool sparse)
        {
            int size = sparse ? n : 300;
            ILinearOperator<double> op = sparse ? new CsrOperator<double>(poisson, options) : new DenseOperator<double>(dense, 300, options);
            double[] x = new double[size];
            var result = ConjugateGradient.Solve(op, b.AsSpan(0, size), x, JacobiPreconditioner<double>.FromOperator(op), new ConjugateGradientOptions { RelativeTolerance = 1e-10 });
            Assert.Equal(SolverStatus.Converged, result.Status);
            return (x, result.Iterations);
        }
        foreach (bool sparse in new[] { true, false })
        {
            var one = Run(BlasOptions.SingleThreaded, sparse);
            foreach (int threads in new[] { 2, 3 })
            {
                var many = Run(new BlasOptions { MaxThreads = threads, ParallelThreshold = 0 }, sparse);
                Assert.Equal(one.Iterations, many.Iterations);
                Assert.Equal(one.X, many.X);
            }
        }
    }

    /// <summary>M⁻¹ = −I: negative definite, so rᵀM⁻¹r &lt; 0 on the first step.</summary>
    private sealed class NegatingPreconditioner(int dimension) : IPreconditioner<double>
    {
        public int Dimension => dimension;

        public void Apply(ReadOnlySpan<double> r, Span<double> z)
        {
            for (int i = 0; i < r.Length; i++)
            {
                z[i] = -r[i];
            }
        }
    }
}
