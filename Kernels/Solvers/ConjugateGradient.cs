using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>
/// Preconditioned conjugate gradient (Hestenes–Stiefel) for A·x = b with A symmetric positive definite, given as an
/// <see cref="ILinearOperator{T}"/>, and an optional SPD preconditioner M ≈ A given as an <see cref="IPreconditioner{T}"/>.
/// </summary>
/// <remarks>
/// <para><b>Iteration.</b> From r₀ = b − A·x₀: z = M⁻¹r, ρ = rᵀz, p = z + (ρ/ρ_prev)·p, q = A·p, α = ρ/(pᵀq), x += α·p,
/// r −= α·q. Each iteration costs one operator and one preconditioner application, three dot products (norms
/// included) and three vector updates. In exact arithmetic ‖x − x*‖_A shrinks at least by 2((√κ − 1)/(√κ + 1))^k with
/// κ = κ(M⁻¹A), so about ½·√κ·ln(2/ε) iterations reach a relative error ε.</para>
/// <para><b>Stopping.</b> After each update, and once before the first, the recurrence residual is tested:
/// ‖r‖₂ ≤ max(<see cref="ConjugateGradientOptions.RelativeTolerance"/>·‖b‖₂, <see cref="ConjugateGradientOptions.AbsoluteTolerance"/>),
/// as in SciPy's <c>cg</c>, so the two count iterations the same way. b = 0 returns x = 0 at once.</para>
/// <para><b>Failures are statuses.</b> Every argument is checked before the first iteration (lengths of b and x, the
/// dimensions of operator, preconditioner and workspace, the options); inside the loop nothing throws.
/// pᵀAp ≤ 0 or rᵀM⁻¹r ≤ 0 (an indefinite operator or preconditioner) stops with <see cref="SolverStatus.Breakdown"/>
/// instead of dividing by it; a NaN or infinity in b, the initial guess or any product stops with
/// <see cref="SolverStatus.NonFinite"/>. Exceptions thrown by user code (a <see cref="DelegateOperator{T}"/>'s map, the
/// progress callback) do propagate.</para>
/// <para><b>Scale.</b> The iteration runs on 2^-e·b, where 2^e ≤ ‖b‖₂ &lt; 2^(e+1), and scales x back once at the end;
/// if pᵀAp over- or underflows while A·p is finite, it is recomputed on A·p divided by a power of two. Both are exact,
/// so a system whose b (or A) is scaled by a power of two takes the same iterations and returns the scaled solution,
/// over the whole exponent range of the type: Breakdown and NonFinite report the problem or the data, never its scale.</para>
/// <para><b>Cost and reproducibility.</b> Given a <see cref="ConjugateGradientWorkspace{T}"/>, an iteration allocates
/// nothing unless the operator does (the library's operators do not, threaded or not) or a residual history is
/// recorded. All reductions run in a fixed order, so for a given input the iterates are bitwise identical from run to
/// run and for any thread count of the operators.</para>
/// </remarks>
public static class ConjugateGradient
{
    /// <summary>Solves A·x = b.</summary>
    /// <param name="op">The SPD operator A (n × n).</param>
    /// <param name="b">The right-hand side, n elements.</param>
    /// <param name="x">The solution, n elements; also the initial guess when <see cref="ConjugateGradientOptions.InitialGuess"/> is <see cref="InitialGuess.FromX"/>.</param>
    /// <param name="preconditioner">M ≈ A, SPD, of dimension n; <c>null</c> for none (M = I, without the copy).</param>
    /// <param name="options">Stopping rule and reporting; <c>null</c> means <see cref="ConjugateGradientOptions.Default"/>.</param>
    /// <param name="workspace">Work vectors of dimension n; <c>null</c> allocates them for this call.</param>
    /// <returns>The status, iteration count and final residual; x holds the last iterate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="op"/> is null.</exception>
    /// <exception cref="ArgumentException">b, x, the preconditioner or the workspace does not match the operator's dimension, or x overlaps b.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static ConjugateGradientResult Solve<T>(ILinearOperator<T> op, ReadOnlySpan<T> b, Span<T> x, IPreconditioner<T>? preconditioner = null,
        ConjugateGradientOptions? options = null, ConjugateGradientWorkspace<T>? workspace = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(op);
        int n = op.Dimension;
        Guard.RequireLength(b.Length, n, nameof(b), "the operator's dimension");
        Guard.RequireLength(x.Length, n, nameof(x), "the operator's dimension");
        Guard.RequireDisjoint(b, nameof(b), x, nameof(x));
        if (preconditioner is not null && preconditioner.Dimension != n)
        {
            throw new ArgumentException($"The preconditioner has dimension {preconditioner.Dimension}; expected {n}, the operator's dimension.", nameof(preconditioner));
        }
        if (workspace is not null && workspace.Dimension != n)
        {
            throw new ArgumentException($"The workspace has dimension {workspace.Dimension}; expected {n}, the operator's dimension.", nameof(workspace));
        }
        options ??= ConjugateGradientOptions.Default;
        options.Validate();
        workspace ??= new ConjugateGradientWorkspace<T>(n);
        return Iterate(op, b, x, preconditioner, options, workspace);
    }

    private static ConjugateGradientResult Iterate<T>(ILinearOperator<T> op, ReadOnlySpan<T> b, Span<T> x, IPreconditioner<T>? preconditioner,
        ConjugateGradientOptions options, ConjugateGradientWorkspace<T> workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int maxIterations = options.MaxIterations ?? (int)Math.Min(int.MaxValue, 10L * op.Dimension);
        var history = options.RecordResidualHistory ? new List<double>(Math.Min(maxIterations, 1023) + 1) : null;

        T bNorm = Level1.Nrm2(b);
        if (!T.IsFinite(bNorm))
        {
            return new ConjugateGradientResult(SolverStatus.NonFinite, 0, double.NaN, double.NaN, history);
        }
        if (bNorm == T.Zero)
        {
            x.Clear();
            history?.Add(0);
            return new ConjugateGradientResult(SolverStatus.Converged, 0, 0, 0, history);
        }
        // CG is scale-invariant, but its inner products are not: rᵀz and pᵀAp square the scale of b, so a
        // well-posed system with ‖b‖ near 2^±64 (float) or 2^±512 (double) would overflow or underflow them.
        // Solving A·(2^-e·x) = 2^-e·b with ‖2^-e·b‖ in [1, 2) instead multiplies every vector by an exact power of
        // two: the iterates are the same bits as for any other scale of b, and x is scaled back once at the end.
        int exponent = T.ILogB(bNorm);
        var state = new ScaledState(exponent, history);
        ConjugateGradientResult result = IterateScaled(op, b, x, preconditioner, options, workspace, maxIterations, state);
        ScaleByPowerOfTwo(x, exponent);
        return result;
    }

    /// <summary>The exponent e of ‖b‖ (the iteration works on 2^-e·b) and the history to record into.</summary>
    private readonly record struct ScaledState(int Exponent, List<double>? History);

    /// <summary>
    /// Runs CG on A·x = 2^-e·b; on a warm start x is scaled by 2^-e first. Returns norms in the caller's units.
    /// </summary>
    private static ConjugateGradientResult IterateScaled<T>(ILinearOperator<T> op, ReadOnlySpan<T> b, Span<T> x, IPreconditioner<T>? preconditioner,
        ConjugateGradientOptions options, ConjugateGradientWorkspace<T> workspace, int maxIterations, ScaledState state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> r = workspace.Residual, p = workspace.Direction, q = workspace.Product;
        // Without a preconditioner z is r itself, which saves a copy per iteration.
        Span<T> z = preconditioner is null ? r : workspace.Preconditioned;
        List<double>? history = state.History;

        b.CopyTo(r);
        ScaleByPowerOfTwo(r, -state.Exponent);
        if (options.InitialGuess == InitialGuess.Zero)
        {
            x.Clear();
        }
        else
        {
            ScaleByPowerOfTwo(x, -state.Exponent);
            op.Apply(x, q);
            Level1.Axpy(-T.One, q, r);
        }
        // ‖2^-e·b‖ is exact: Nrm2 scales by powers of two only. The absolute tolerance is scaled like b, in double
        // so that a float scale factor beyond float's range still gives the right (saturated) threshold.
        double bNorm = double.CreateChecked(T.ScaleB(Level1.Nrm2(b), -state.Exponent));
        T threshold = T.Max(T.CreateSaturating(options.RelativeTolerance * bNorm),
            T.CreateSaturating(double.ScaleB(options.AbsoluteTolerance, -state.Exponent)));

        T rNorm = Level1.Nrm2<T>(r);
        history?.Add(double.CreateChecked(rNorm) / bNorm);
        if (!T.IsFinite(rNorm))
        {
            return Result(SolverStatus.NonFinite, 0, rNorm, bNorm, state);
        }
        if (rNorm <= threshold)
        {
            return Result(SolverStatus.Converged, 0, rNorm, bNorm, state);
        }

        T rhoPrevious = T.One;
        for (int k = 1; k <= maxIterations; k++)
        {
            preconditioner?.Apply(r, z);
            T rho = Level1.Dot<T>(r, z);
            if (!T.IsFinite(rho))
            {
                return Result(SolverStatus.NonFinite, k - 1, rNorm, bNorm, state);
            }
            if (rho <= T.Zero)
            {
                return Result(SolverStatus.Breakdown, k - 1, rNorm, bNorm, state);
            }
            if (k == 1)
            {
                z.CopyTo(p);
            }
            else
            {
                BinaryDriver.Run<T, DirectionUpdateOperator<T>>(z, p, p, new DirectionUpdateOperator<T>(rho / rhoPrevious));
            }
            op.Apply(p, q);
            T curvature = Level1.Dot<T>(p, q);
            // The step for r is rho/pᵀq applied to q; for x it is the same times 2^qExponent, where q was divided
            // by 2^qExponent when pᵀq over- or underflowed although A·p is finite (A far from unit scale).
            int qExponent = 0;
            if (!T.IsFinite(curvature) || (curvature > T.Zero && curvature < SafeCurvatureFloor<T>()))
            {
                T qNorm = Level1.Nrm2<T>(q);
                if (T.IsFinite(qNorm) && qNorm > T.Zero && T.IsFinite(Level1.Nrm2<T>(p)))
                {
                    qExponent = T.ILogB(qNorm);
                    ScaleByPowerOfTwo(q, -qExponent);
                    curvature = Level1.Dot<T>(p, q);
                }
            }
            if (!T.IsFinite(curvature))
            {
                return Result(SolverStatus.NonFinite, k - 1, rNorm, bNorm, state);
            }
            if (curvature <= T.Zero)
            {
                return Result(SolverStatus.Breakdown, k - 1, rNorm, bNorm, state);
            }
            T residualStep = rho / curvature;
            T solutionStep = T.ScaleB(residualStep, -qExponent);
            if (!T.IsFinite(residualStep) || !T.IsFinite(solutionStep))
            {
                return Result(SolverStatus.NonFinite, k - 1, rNorm, bNorm, state);
            }
            Level1.Axpy(solutionStep, p, x);
            Level1.Axpy(-residualStep, q, r);
            rNorm = Level1.Nrm2<T>(r);
            double relative = double.CreateChecked(rNorm) / bNorm;
            history?.Add(relative);
            options.Progress?.Invoke(new ConjugateGradientProgress(k, double.ScaleB(double.CreateChecked(rNorm), state.Exponent), relative));
            if (!T.IsFinite(rNorm))
            {
                return Result(SolverStatus.NonFinite, k, rNorm, bNorm, state);
            }
            if (rNorm <= threshold)
            {
                return Result(SolverStatus.Converged, k, rNorm, bNorm, state);
            }
            rhoPrevious = rho;
        }
        return Result(SolverStatus.MaxIterations, maxIterations, rNorm, bNorm, state);
    }

    /// <summary>
    /// Below this pᵀAp is recomputed on A·p scaled to unit norm: 2^-60 (float) or 2^-500 (double) keeps the
    /// products p[i]·q[i] clear of the subnormal range, where they would lose precision.
    /// </summary>
    private static T SafeCurvatureFloor<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.ScaleB(T.One, -60) : T.ScaleB(T.One, -500);

    /// <summary>
    /// Multiplies x by 2^exponent in steps that are exact powers of two of the element type (2^140 is no float),
    /// each step exact unless an element leaves the normal range.
    /// </summary>
    private static void ScaleByPowerOfTwo<T>(Span<T> x, int exponent) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int maxStep = 100;
        while (exponent != 0)
        {
            int step = Math.Clamp(exponent, -maxStep, maxStep);
            Level1.Scale(T.ScaleB(T.One, step), x);
            exponent -= step;
        }
    }

    private static ConjugateGradientResult Result<T>(SolverStatus status, int iterations, T rNorm, double bNorm, ScaledState state)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double norm = double.CreateChecked(rNorm);
        return new ConjugateGradientResult(status, iterations, double.ScaleB(norm, state.Exponent), norm / bNorm, state.History);
    }
}
