using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;

namespace Kernels.Solvers;

/// <summary>
/// Preconditioned conjugate gradient on the c columns of A·X = B at once: c independent CG iterations (each with its
/// own α, β, residual and stopping test, the recurrences of <see cref="ConjugateGradient.Solve{T}"/>, though not its
/// bits: no power-of-two rescaling of b, and the direction update is not fused the same way) that share each
/// operator application as one block product A·[p₁ … p_k] over the columns not yet converged. For an operator whose
/// product is bound by reading it — a dense n × n kernel matrix — a block of k columns costs far less than k products.
/// </summary>
/// <remarks>
/// <para><b>Iteration</b> per active column j: z = M⁻¹r, ρ = rᵀz, p = z + (ρ/ρ_prev)·p, then Q = A·P for all active
/// columns in one block product, α = ρ/(pᵀq), x += α·p, r −= α·q. A column stops — and leaves the block — when
/// ‖r‖₂ ≤ max(<see cref="ConjugateGradientOptions.RelativeTolerance"/>·‖b‖₂, <see cref="ConjugateGradientOptions.AbsoluteTolerance"/>),
/// on breakdown (ρ ≤ 0 or pᵀAp ≤ 0), on a NaN or infinity, or at the iteration limit; its status says which. A zero
/// column of B gives x = 0 at once.</para>
/// <para><b>Differences from the single-vector solver.</b> The iteration is not rescaled by a power of two of ‖b‖, so
/// a column whose inner products over- or underflow ends with <see cref="SolverStatus.NonFinite"/> or
/// <see cref="SolverStatus.Breakdown"/> instead of being rescued; <see cref="ConjugateGradientOptions.Progress"/> is not
/// supported (it describes one vector) and is rejected. Iterates agree with per-column solves to rounding (the block
/// product may sum in another order than the vector product).</para>
/// <para><b>Cost.</b> Work vectors are held transposed (one contiguous row per column: b, x, r, z, p and q, c × n each)
/// beside the n × k blocks in and out of the product, eight n·c arrays allocated per call; the iteration allocates nothing else
/// unless a residual history is recorded. Reductions run in a fixed order, so the results do not depend on the thread
/// count of the operator.</para>
/// </remarks>
public static class ConjugateGradientBatch
{
    /// <summary>Solves A·X = B column by column, sharing the operator's products.</summary>
    /// <param name="op">The SPD operator A (n × n).</param>
    /// <param name="b">B, n × c.</param>
    /// <param name="x">X, n × c, not sharing memory with B; also the initial guess with <see cref="InitialGuess.FromX"/>.</param>
    /// <param name="preconditioner">M ≈ A, SPD, of dimension n, applied column by column; null for none.</param>
    /// <param name="options">Stopping rule and history; null for <see cref="ConjugateGradientOptions.Default"/>. <see cref="ConjugateGradientOptions.Progress"/> must be null.</param>
    /// <returns>One result per column: status, iterations, final residual and the optional history.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="op"/> is null.</exception>
    /// <exception cref="ArgumentException">A shape does not match the operator, X overlaps B, a progress callback is given,
    /// or n·c exceeds one array's length (the working storage is eight n × c arrays, allocated per call).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static ConjugateGradientResult[] Solve<T>(ILinearOperator<T> op, ReadOnlyMatrixView<T> b, MatrixView<T> x,
        IPreconditioner<T>? preconditioner = null, ConjugateGradientOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(op);
        int n = op.Dimension, c = b.Columns;
        Guard.RequireShape(b, n, c, nameof(b), $"n × c with n = {n}, the operator's dimension");
        Guard.RequireShape<T>(x, n, c, nameof(x), "n × c, the shape of b");
        Guard.RequireDisjoint<T>(b, nameof(b), x, nameof(x));
        if (preconditioner is not null && preconditioner.Dimension != n)
        {
            throw new ArgumentException($"The preconditioner has dimension {preconditioner.Dimension}; expected {n}, the operator's dimension.", nameof(preconditioner));
        }
        options ??= ConjugateGradientOptions.Default;
        options.Validate();
        if (options.Progress is not null)
        {
            throw new ArgumentException("ConjugateGradientBatch does not report per-iteration progress; leave Progress null.", nameof(options));
        }
        if ((long)n * c > Array.MaxLength)
        {
            throw new ArgumentException(
                $"b has {c} columns of {n}: each of the eight n·c working arrays ({8L * n * c * System.Runtime.CompilerServices.Unsafe.SizeOf<T>():N0} bytes in all) would exceed one array; solve fewer columns at a time.", nameof(b));
        }
        var state = new Columns<T>(n, c);
        MatrixTranspose.Copy(b, new MatrixView<T>(state.B, c, n));
        if (options.InitialGuess == InitialGuess.FromX)
        {
            MatrixTranspose.Copy(x, new MatrixView<T>(state.X, c, n));
        }
        var results = Iterate(op, preconditioner, options, state);
        MatrixTranspose.Copy(new ReadOnlyMatrixView<T>(state.X, c, n), x);
        return results;
    }

    /// <summary>The transposed work vectors: row j of each is column j's vector.</summary>
    private sealed class Columns<T>(int n, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public readonly T[] B = new T[n * c], X = new T[n * c], R = new T[n * c], Z = new T[n * c], P = new T[n * c], Q = new T[n * c];
        public readonly T[] BlockIn = new T[n * c], BlockOut = new T[n * c];
        public int N => n;
        public int C => c;
        public Span<T> Row(T[] array, int j) => array.AsSpan(j * n, n);
    }

    private static ConjugateGradientResult[] Iterate<T>(ILinearOperator<T> op, IPreconditioner<T>? preconditioner, ConjugateGradientOptions options, Columns<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = s.N, c = s.C;
        int maxIterations = options.MaxIterations ?? (int)Math.Min(int.MaxValue, 10L * n);
        var results = new ConjugateGradientResult[c];
        var histories = new List<double>?[c];
        var bNorms = new double[c];
        var thresholds = new T[c];
        var rNorms = new T[c];
        var rhoPrevious = new T[c];
        var active = new List<int>(c);

        if (options.InitialGuess == InitialGuess.FromX)
        {
            Product(op, s, Enumerable.Range(0, c).ToList(), s.X, s.R);   // R = A·X, then B − A·X below
        }
        for (int j = 0; j < c; j++)
        {
            Span<T> r = s.Row(s.R, j);
            ReadOnlySpan<T> bj = s.Row(s.B, j);
            if (options.InitialGuess == InitialGuess.FromX)
            {
                for (int i = 0; i < n; i++)
                {
                    r[i] = bj[i] - r[i];
                }
            }
            else
            {
                bj.CopyTo(r);
            }
            histories[j] = options.RecordResidualHistory ? [] : null;
            T bNorm = Level1.Nrm2(bj);
            bNorms[j] = double.CreateChecked(bNorm);
            if (!T.IsFinite(bNorm))
            {
                results[j] = new ConjugateGradientResult(SolverStatus.NonFinite, 0, double.NaN, double.NaN, histories[j]);
                continue;
            }
            if (bNorm == T.Zero)
            {
                s.Row(s.X, j).Clear();
                histories[j]?.Add(0);
                results[j] = new ConjugateGradientResult(SolverStatus.Converged, 0, 0, 0, histories[j]);
                continue;
            }
            thresholds[j] = T.Max(T.CreateSaturating(options.RelativeTolerance * bNorms[j]), T.CreateSaturating(options.AbsoluteTolerance));
            rNorms[j] = Level1.Nrm2<T>(r);
            histories[j]?.Add(double.CreateChecked(rNorms[j]) / bNorms[j]);
            if (!T.IsFinite(rNorms[j]))
            {
                results[j] = Result(SolverStatus.NonFinite, 0, rNorms[j], bNorms[j], histories[j]);
            }
            else if (rNorms[j] <= thresholds[j])
            {
                results[j] = Result(SolverStatus.Converged, 0, rNorms[j], bNorms[j], histories[j]);
            }
            else
            {
                active.Add(j);
                rhoPrevious[j] = T.One;
            }
        }

        var stopped = new List<int>(c);
        for (int k = 1; k <= maxIterations && active.Count > 0; k++)
        {
            stopped.Clear();
            foreach (int j in active)
            {
                Span<T> r = s.Row(s.R, j), z = preconditioner is null ? r : s.Row(s.Z, j), p = s.Row(s.P, j);
                preconditioner?.Apply(r, z);
                T rho = Level1.Dot<T>(r, z);
                if (!T.IsFinite(rho) || rho <= T.Zero)
                {
                    results[j] = Result(T.IsFinite(rho) ? SolverStatus.Breakdown : SolverStatus.NonFinite, k - 1, rNorms[j], bNorms[j], histories[j]);
                    stopped.Add(j);
                    continue;
                }
                if (k == 1)
                {
                    z.CopyTo(p);
                }
                else
                {
                    T beta = rho / rhoPrevious[j];
                    for (int i = 0; i < n; i++)
                    {
                        p[i] = z[i] + beta * p[i];
                    }
                }
                rhoPrevious[j] = rho;
            }
            RemoveStopped(active, stopped);
            if (active.Count == 0)
            {
                break;
            }
            Product(op, s, active, s.P, s.Q);
            stopped.Clear();
            foreach (int j in active)
            {
                Span<T> r = s.Row(s.R, j), p = s.Row(s.P, j), q = s.Row(s.Q, j), xj = s.Row(s.X, j);
                T curvature = Level1.Dot<T>(p, q);
                if (!T.IsFinite(curvature) || curvature <= T.Zero)
                {
                    results[j] = Result(T.IsFinite(curvature) ? SolverStatus.Breakdown : SolverStatus.NonFinite, k - 1, rNorms[j], bNorms[j], histories[j]);
                    stopped.Add(j);
                    continue;
                }
                T step = rhoPrevious[j] / curvature;
                Level1.Axpy(step, p, xj);
                Level1.Axpy(-step, q, r);
                rNorms[j] = Level1.Nrm2<T>(r);
                histories[j]?.Add(double.CreateChecked(rNorms[j]) / bNorms[j]);
                if (!T.IsFinite(rNorms[j]))
                {
                    results[j] = Result(SolverStatus.NonFinite, k, rNorms[j], bNorms[j], histories[j]);
                    stopped.Add(j);
                }
                else if (rNorms[j] <= thresholds[j])
                {
                    results[j] = Result(SolverStatus.Converged, k, rNorms[j], bNorms[j], histories[j]);
                    stopped.Add(j);
                }
            }
            RemoveStopped(active, stopped);
        }
        foreach (int j in active)
        {
            results[j] = Result(SolverStatus.MaxIterations, maxIterations, rNorms[j], bNorms[j], histories[j]);
        }
        return results;
    }

    /// <summary>Rows <paramref name="columns"/> of <paramref name="from"/> (transposed vectors) times A into the same rows of <paramref name="to"/>, as one block product.</summary>
    private static void Product<T>(ILinearOperator<T> op, Columns<T> s, List<int> columns, T[] from, T[] to) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = s.N, k = columns.Count;
        var input = new MatrixView<T>(s.BlockIn.AsSpan(0, n * k), n, k);
        for (int a = 0; a < k; a++)
        {
            ReadOnlySpan<T> v = s.Row(from, columns[a]);
            for (int i = 0; i < n; i++)
            {
                input[i, a] = v[i];
            }
        }
        var output = new MatrixView<T>(s.BlockOut.AsSpan(0, n * k), n, k);
        op.Apply(T.One, input, T.Zero, output);
        for (int a = 0; a < k; a++)
        {
            Span<T> v = s.Row(to, columns[a]);
            for (int i = 0; i < n; i++)
            {
                v[i] = output[i, a];
            }
        }
    }

    /// <summary>Drops the columns in <paramref name="stopped"/> from <paramref name="active"/>, keeping the order (no delegate allocated per iteration).</summary>
    private static void RemoveStopped(List<int> active, List<int> stopped)
    {
        int kept = 0;
        for (int a = 0; a < active.Count; a++)
        {
            if (!stopped.Contains(active[a]))
            {
                active[kept++] = active[a];
            }
        }
        active.RemoveRange(kept, active.Count - kept);
    }

    private static ConjugateGradientResult Result<T>(SolverStatus status, int iterations, T rNorm, double bNorm, List<double>? history)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double norm = double.CreateChecked(rNorm);
        return new ConjugateGradientResult(status, iterations, norm, norm / bNorm, history);
    }
}
