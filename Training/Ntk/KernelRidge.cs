using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Randomness;
using Kernels.Sketching.Operators;
using Kernels.Sketching.Preconditioners;
using Kernels.Solvers;

namespace Kernels.Training.Ntk;

/// <summary>
/// Kernel ridge regression with the exact NTK (<see cref="NeuralTangentKernel"/>): α solves (K + λI)·α = Y for the
/// n × c targets Y (c right-hand sides, e.g. one-vs-rest over 10 classes), and f(x) = Σ_i K(x, x_i)·α_i. This is the
/// predictor a wide, ℓ2-regularized 2-layer ReLU net converges to (§D of the papers).
/// </summary>
/// <remarks>
/// <para><b>Solvers.</b> <see cref="KernelRidgeSolver.Cholesky"/> factors K + λI in place (n³/3 flops) and solves all c
/// columns with two Gemm-based triangular solves. <see cref="KernelRidgeSolver.MixedPrecisionCholesky"/> (double only) factors
/// a float copy instead, at about twice the speed, and refines the solution in double to double-precision residuals, falling
/// back to the double factor when K + λI is too ill-conditioned for float (see <see cref="Refinement"/>).
/// <see cref="KernelRidgeSolver.NystromPcg"/> builds the randomized
/// Nyström preconditioner of rank ℓ once (ℓ products with K) and runs CG on all columns together
/// (<see cref="ConjugateGradientBatch"/>: one block product K·[p₁ … p_k] per iteration for the unconverged columns, so K is
/// read once per iteration, not once per column), so it wins when √κ of the preconditioned system — bounded independently of n for ℓ above about 3·d_eff(λ) — is
/// small against n/3.</para>
/// <para><b>Memory.</b> One n × n matrix of <typeparamref name="T"/> (K, then its factor), and for
/// <see cref="KernelRidgeSolver.MixedPrecisionCholesky"/> n² floats more (n²·4 bytes, the float factor), checked before
/// anything is allocated: too large a problem throws <see cref="InsufficientMemoryException"/> with the size in bytes.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class KernelRidge<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The seed purpose of the preconditioner's test matrix (see the README's Seeds note).</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("krr");

    /// <summary>Test rows whose kernel against the training points is built at once in <see cref="Predict"/>.</summary>
    private const int PredictBlock = 256;

    private readonly Matrix<T> _points;
    private readonly Matrix<T> _coefficients;
    private readonly BlasOptions? _blas;

    private KernelRidge(Matrix<T> points, Matrix<T> coefficients, KernelRidgeSolver solver, int[] iterations, SolverStatus[] statuses,
        MixedPrecisionResult? refinement, BlasOptions? blas)
    {
        Refinement = refinement;
        _points = points;
        _coefficients = coefficients;
        Solver = solver;
        Iterations = iterations;
        Statuses = statuses;
        _blas = blas;
    }

    /// <summary>
    /// The solver whose answer α is (never <see cref="KernelRidgeSolver.Auto"/>): <see cref="KernelRidgeSolver.Cholesky"/>
    /// after a mixed-precision attempt that fell back, or with float elements.
    /// </summary>
    public KernelRidgeSolver Solver { get; }

    /// <summary>
    /// The mixed-precision attempt of <see cref="KernelRidgeSolver.MixedPrecisionCholesky"/> with double elements: its
    /// outcome (anything but <see cref="MixedPrecisionOutcome.Converged"/> means the double Cholesky ran instead), refinement
    /// steps and backward error; null when no attempt was made.
    /// </summary>
    public MixedPrecisionResult? Refinement { get; }

    /// <summary>PCG iterations per right-hand side (zeros after Cholesky).</summary>
    public IReadOnlyList<int> Iterations { get; }

    /// <summary>PCG status per right-hand side (<see cref="SolverStatus.Converged"/> after Cholesky).</summary>
    public IReadOnlyList<SolverStatus> Statuses { get; }

    /// <summary>α, n × c.</summary>
    public ReadOnlyMatrixView<T> Coefficients => _coefficients.ReadOnlyView;

    /// <summary>n, the training points.</summary>
    public int Count => _points.Rows;

    /// <summary>Builds K(X, X) and solves (K + λI)·α = Y.</summary>
    /// <param name="x">X, n × d with n ≥ 1, finite; copied.</param>
    /// <param name="targets">Y, n × c with c ≥ 1, finite.</param>
    /// <param name="options">λ, solver and threads; null for the defaults.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException">A shape does not match or an input is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (λ ≤ 0 among them).</exception>
    /// <exception cref="InsufficientMemoryException">The n × n kernel matrix does not fit (the message gives its size in bytes).</exception>
    public static KernelRidge<T> Fit(ReadOnlyMatrixView<T> x, ReadOnlyMatrixView<T> targets, KernelRidgeOptions? options = null)
    {
        options ??= new KernelRidgeOptions();
        Validate(x, targets, options);
        bool floatCopy = UsesFloatFactor(options);
        MemoryBudget.Require((long)x.Rows * x.Rows, System.Runtime.CompilerServices.Unsafe.SizeOf<T>() + (floatCopy ? sizeof(float) : 0),
            floatCopy ? $"The {x.Rows} × {x.Rows} kernel matrix and its float factor" : $"The {x.Rows} × {x.Rows} kernel matrix");
        var kernel = new Matrix<T>(x.Rows, x.Rows);
        if (Resolve(options, x.Rows) == KernelRidgeSolver.NystromPcg)
        {
            NeuralTangentKernel.Build(x, kernel.View, options.Blas);
        }
        else
        {
            NeuralTangentKernel.BuildLower(x, kernel.View, options.Blas);                  // the Cholesky solvers read only the lower triangle
        }
        return Solve(x, kernel, targets, options);
    }

    /// <summary>Solves (K + λI)·α = Y for a kernel matrix the caller built, taking it over.</summary>
    /// <param name="x">X, n × d, finite; copied (the points <see cref="Predict"/> measures against).</param>
    /// <param name="kernel">K(X, X), n × n, symmetric positive semidefinite, finite; overwritten by the Cholesky factor, left holding K + λI after a converged mixed-precision solve, or kept as the PCG operator. The Cholesky solvers read only its lower triangle (diagonal included), so <see cref="NeuralTangentKernel.BuildLower{T}"/> suffices for them; PCG needs both triangles.</param>
    /// <param name="targets">Y, n × c with c ≥ 1, finite.</param>
    /// <param name="options">λ, solver and threads; null for the defaults.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="kernel"/> is null.</exception>
    /// <exception cref="ArgumentException">A shape does not match or an input is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (λ ≤ 0 among them).</exception>
    public static KernelRidge<T> Fit(ReadOnlyMatrixView<T> x, Matrix<T> kernel, ReadOnlyMatrixView<T> targets, KernelRidgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        options ??= new KernelRidgeOptions();
        Validate(x, targets, options);
        Guard.RequireShape(kernel.ReadOnlyView, x.Rows, x.Rows, nameof(kernel), "n × n for the n points of x");
        NeuralTangentKernel.RequireFinite(kernel.ReadOnlyView, nameof(kernel), lowerOnly: Resolve(options, x.Rows) != KernelRidgeSolver.NystromPcg, options.Blas ?? BlasOptions.Default);
        if (UsesFloatFactor(options))
        {
            MemoryBudget.Require((long)x.Rows * x.Rows, sizeof(float), $"The float factor of the {x.Rows} × {x.Rows} kernel matrix");
        }
        return Solve(x, kernel, targets, options);
    }

    /// <summary>The solver that <see cref="KernelRidgeSolver.Auto"/> stands for at n points, or the one chosen.</summary>
    private static KernelRidgeSolver Resolve(KernelRidgeOptions options, int n) => options.Solver == KernelRidgeSolver.Auto
        ? (n <= options.CholeskyLimit ? KernelRidgeSolver.Cholesky : KernelRidgeSolver.NystromPcg)
        : options.Solver;

    /// <summary>Whether the solve will attempt a float factor (mixed precision with double elements).</summary>
    private static bool UsesFloatFactor(KernelRidgeOptions options) =>
        options.Solver == KernelRidgeSolver.MixedPrecisionCholesky && typeof(T) == typeof(double);

    private static void Validate(ReadOnlyMatrixView<T> x, ReadOnlyMatrixView<T> targets, KernelRidgeOptions options)
    {
        ElementType.Require<T>();
        options.Validate();
        if (x.Rows < 1)
        {
            throw new ArgumentException("x has no rows; kernel ridge regression needs n ≥ 1 points.", nameof(x));
        }
        if (targets.Columns < 1)
        {
            throw new ArgumentException("targets has no columns; expected n × c with c ≥ 1.", nameof(targets));
        }
        Guard.RequireShape(targets, x.Rows, targets.Columns, nameof(targets), "n × c, one row per point of x");
        NeuralTangentKernel.RequireFinite(x, nameof(x), options: options.Blas ?? BlasOptions.Default);
        NeuralTangentKernel.RequireFinite(targets, nameof(targets));
    }

    private static KernelRidge<T> Solve(ReadOnlyMatrixView<T> x, Matrix<T> kernel, ReadOnlyMatrixView<T> targets, KernelRidgeOptions options)
    {
        int n = x.Rows, c = targets.Columns;
        T lambda = T.CreateChecked(options.Lambda);
        var solver = Resolve(options, n);
        var coefficients = new Matrix<T>(targets);
        var iterations = new int[c];
        var statuses = new SolverStatus[c];
        MixedPrecisionResult? refinement = null;
        if (solver is KernelRidgeSolver.Cholesky or KernelRidgeSolver.MixedPrecisionCholesky)
        {
            for (int i = 0; i < n; i++)
            {
                kernel[i, i] += lambda;
            }
            if (solver == KernelRidgeSolver.MixedPrecisionCholesky && typeof(T) == typeof(double))
            {
                refinement = SolveMixed((Matrix<double>)(object)kernel, (Matrix<double>)(object)coefficients, options.Blas);
            }
            if (refinement?.Outcome != MixedPrecisionOutcome.Converged)
            {
                solver = KernelRidgeSolver.Cholesky;
                for (int i = 0; i < n; i++)
                {
                    targets.Row(i).CopyTo(coefficients.Row(i));
                }
                Cholesky.Factor(kernel.View, options.Blas);
                Cholesky.Solve(kernel.ReadOnlyView, coefficients.View, options.Blas);
            }
        }
        else
        {
            var op = new DenseOperator<T>(kernel.AsMemory(), n, options.Blas);
            int rank = Math.Min(options.PreconditionerRank, n);
            var sketch = new GaussianDistribution(rank, n).Sample<T>(CounterRandom.Derive(options.Seed, SeedPurpose));
            var preconditioner = new NystromPreconditioner<T>(op, lambda, sketch, options.Blas);
            var shifted = new ShiftedOperator<T>(op, lambda);
            var cg = new ConjugateGradientOptions { RelativeTolerance = options.RelativeTolerance, MaxIterations = options.MaxIterations };
            // All c columns at once: each iteration reads K once for the block of unconverged columns instead of once per column.
            var results = ConjugateGradientBatch.Solve(shifted, targets, coefficients.View, preconditioner, cg);
            for (int j = 0; j < c; j++)
            {
                iterations[j] = results[j].Iterations;
                statuses[j] = results[j].Status;
            }
        }
        if (solver != KernelRidgeSolver.NystromPcg)
        {
            Array.Fill(statuses, SolverStatus.Converged);
        }
        return new KernelRidge<T>(CopyPoints(x, options.Blas ?? BlasOptions.Default), coefficients, solver, iterations, statuses, refinement, options.Blas);
    }

    /// <summary>
    /// The model's own copy of X, its rows split among threads: at n = 5,000, d = 784 it is 31 MB of fresh memory, whose
    /// first touch (page faults) costs more than the copy itself, so both threads take their share.
    /// </summary>
    private static unsafe Matrix<T> CopyPoints(ReadOnlyMatrixView<T> x, BlasOptions options)
    {
        var copy = new Matrix<T>(x.Rows, x.Columns);
        int threads = options.ThreadsFor((long)x.Rows * x.Columns, x.Rows);
        fixed (T* source = x.Data)
        fixed (T* destination = copy.View.Data)
        {
            ParallelParts.Run(new CopyParts((nint)source, x.Stride, (nint)destination, x.Rows, x.Columns, threads), threads);
        }
        return copy;
    }

    /// <summary>Part p copies rows [p·n/P, (p + 1)·n/P) into the dense copy.</summary>
    private readonly unsafe struct CopyParts(nint source, int stride, nint destination, int rows, int columns, int threads) : IParts
    {
        public void Run(int part)
        {
            for (int i = (int)((long)part * rows / threads), end = (int)((long)(part + 1) * rows / threads); i < end; i++)
            {
                new ReadOnlySpan<T>((T*)source + (long)i * stride, columns).CopyTo(new Span<T>((T*)destination + (long)i * columns, columns));
            }
        }
    }

    /// <summary>
    /// α by a float factor of K + λI and refinement in double, written into <paramref name="coefficients"/> (which holds Y on
    /// entry); K is only read, so it is still there for the double factorization if this does not converge.
    /// </summary>
    private static MixedPrecisionResult SolveMixed(Matrix<double> shifted, Matrix<double> coefficients, BlasOptions? blas)
    {
        int n = shifted.Rows;
        var targets = new Matrix<double>(coefficients.ReadOnlyView);
        // From the pool: a repeated fit (validation over λ, a benchmark) then reuses pages already mapped instead of
        // faulting in n²·4 fresh bytes each time.
        float[] factor = ArrayPool<float>.Shared.Rent(n * n);
        try
        {
            return MixedPrecisionCholesky.TrySolve(shifted.ReadOnlyView, targets.ReadOnlyView, coefficients.View, new MatrixView<float>(factor, n, n),
                MixedPrecisionCholesky.DefaultMaxSteps, blas);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(factor);
        }
    }

    /// <summary>Writes f(p) = K(P, X)·α for the rows of P.</summary>
    /// <param name="points">P, q × d (d of the training points), finite.</param>
    /// <param name="predictions">q × c, not overlapping P; overwritten.</param>
    /// <exception cref="ArgumentException">A shape does not match, the outputs overlap P, or P is not finite.</exception>
    public void Predict(ReadOnlyMatrixView<T> points, MatrixView<T> predictions)
    {
        Guard.RequireColumns(points, _points.Columns, nameof(points), $"{_points.Columns} columns, the dimension of the training points");
        Guard.RequireShape<T>(predictions, points.Rows, _coefficients.Columns, nameof(predictions), "q × c: one row per point, one column per right-hand side");
        Guard.RequireDisjoint(points, nameof(points), predictions, nameof(predictions));
        NeuralTangentKernel.RequireFinite(points, nameof(points));
        int n = Count, block = Math.Min(PredictBlock, Math.Max(points.Rows, 1));
        T[] scratch = ArrayPool<T>.Shared.Rent(block * n);
        try
        {
            for (int start = 0; start < points.Rows; start += block)
            {
                int rows = Math.Min(block, points.Rows - start);
                var cross = new MatrixView<T>(scratch, rows, n);
                NeuralTangentKernel.Build(points.Slice(start, 0, rows, points.Columns), _points.ReadOnlyView, cross, _blas);
                Level3.Gemm(Transpose.None, Transpose.None, T.One, cross, Coefficients, T.Zero,
                    predictions.Slice(start, 0, rows, predictions.Columns), _blas);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }
}
