using System.Numerics;
using System.Runtime.InteropServices;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Randomness;

namespace Kernels.Training.Ntk;

/// <summary>
/// Ridge leverage scores of NTK random features (§D of the papers). For a weight w the feature block is the n × d matrix
/// Φ_w(X) with rows x_i·1(⟨w, x_i⟩ ≥ 0), and the ridge leverage function is τ_λ(w) = p(w)·tr(Φ_w(X)ᵀ(K + λI)⁻¹Φ_w(X)).
/// <see cref="Estimate{T}"/> writes, for candidates drawn from p, the ratio τ_λ(w)/p(w) = tr(Φ_wᵀ(K + λI)⁻¹Φ_w): sampling
/// candidates with probability ∝ this ratio draws w from q ∝ τ_λ, as leverage-score sampling asks.
/// </summary>
/// <remarks>
/// <para><b>As one product.</b> With s_w ∈ {0, 1}ⁿ the mask of w, G = X·Xᵀ and A an approximation of (K + λI)⁻¹,
/// tr(Φ_wᵀAΦ_w) = Σ_ik s_i·s_k·A_ik·⟨x_i, x_k⟩ = s_wᵀ(G ⊙ A)s_w; for a pool of M candidates with masks B (n × M) the scores
/// are the column sums of B ⊙ ((G ⊙ A)·B): one n × n × M Gemm.</para>
/// <para><b>Estimators</b> (<see cref="LeverageScoreEstimator"/>). <see cref="LeverageScoreEstimator.Exact"/>: A = (K + λI)⁻¹
/// from a Cholesky factor (solving against the identity). <see cref="LeverageScoreEstimator.Nystrom"/>: A = (K̂ + λI)⁻¹ for
/// K̂ = Y·(ΩᵀY)⁻¹·Yᵀ, Y = K·Ω, Ω an n × ℓ Gaussian; by Woodbury A = (I − Z·Zᵀ)/λ with Z = Y·L⁻ᵀ and L·Lᵀ = λ·ΩᵀY + YᵀY.
/// Since K̂ ≼ K, every Nyström score is at least the exact one.</para>
/// <para><b>Checks.</b> E_p[tr(Φ_wᵀ(K + λI)⁻¹Φ_w)] = tr((K + λI)⁻¹K) = d_λ, the effective dimension
/// (<see cref="EffectiveDimension{T}"/>): the mean exact score over a pool estimates d_λ, and equals it exactly when K is
/// the pool's own kernel (1/M)·Σ_j Φ_jΦ_jᵀ.</para>
/// <para><b>Cost.</b> Common: 2n²d (G) + 2n·M·d (masks) + 2n²·M (the quadratic forms). Exact adds n³/3 + 2n³; Nyström adds
/// 4n²ℓ and an ℓ³/3 Cholesky. Memory: two n × n and up to two n × M matrices (checked up front; the message gives the
/// bytes). For n up to a few thousand the exact inverse costs about as much as the forms at M ≈ n and is the default; the
/// Nyström estimator is for a pool much smaller than n with ℓ ≪ n, where its error is acceptable.</para>
/// <para><b>Precision.</b> Everything runs in the element type of the inputs. In float the exact inverse carries a relative error up
/// to about κ(K + λI)·6·10⁻⁸, harmless for sampling until κ nears 10⁷, where the factorization may fail (an exception then
/// says so). The same bits for any thread count.</para>
/// </remarks>
public static class LeverageScores
{
    /// <summary>Writes tr(Φ_wᵀ(K + λI)⁻¹Φ_w) for every candidate w (estimated as <paramref name="options"/> says).</summary>
    /// <param name="points">X, n × d, finite.</param>
    /// <param name="kernel">K(X, X), n × n, symmetric positive semidefinite, finite.</param>
    /// <param name="candidates">The M candidate weights, M × d, finite.</param>
    /// <param name="options">λ, <see cref="LeverageSamplingOptions.Estimator"/>, the Nyström rank and seed, threads (the pool factor is not used).</param>
    /// <param name="scores">M elements, overwritten with the scores (≥ 0 up to rounding).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A shape does not match, an input is not finite, <paramref name="scores"/> overlaps an input, or K + λI does not factor (K is not positive semidefinite at this precision).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (λ ≤ 0 among them).</exception>
    /// <exception cref="InsufficientMemoryException">The work matrices do not fit (the message gives the bytes).</exception>
    public static void Estimate<T>(ReadOnlyMatrixView<T> points, ReadOnlyMatrixView<T> kernel, ReadOnlyMatrixView<T> candidates,
        LeverageSamplingOptions options, Span<double> scores) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int n = points.Rows, d = points.Columns;
        if (n < 1 || d < 1)
        {
            throw new ArgumentException($"points is {n} × {d}; expected n × d with n, d ≥ 1.", nameof(points));
        }
        Guard.RequireShape(kernel, n, n, nameof(kernel), "n × n for the n points");
        if (candidates.Rows < 1)
        {
            throw new ArgumentException($"candidates is {candidates.Rows} × {candidates.Columns}; expected M × d with M ≥ 1.", nameof(candidates));
        }
        Guard.RequireColumns(candidates, d, nameof(candidates), "d, the columns of points");
        Guard.RequireLength(scores.Length, candidates.Rows, nameof(scores), "M, the rows of candidates");
        if (typeof(T) == typeof(double))
        {
            Span<double> output = scores;
            Guard.RequireDisjoint(MemoryMarshal.Cast<T, double>(points.Data), nameof(points), output, nameof(scores));
            Guard.RequireDisjoint(MemoryMarshal.Cast<T, double>(kernel.Data), nameof(kernel), output, nameof(scores));
            Guard.RequireDisjoint(MemoryMarshal.Cast<T, double>(candidates.Data), nameof(candidates), output, nameof(scores));
        }
        NeuralTangentKernel.RequireFinite(points, nameof(points));
        NeuralTangentKernel.RequireFinite(kernel, nameof(kernel));
        NeuralTangentKernel.RequireFinite(candidates, nameof(candidates));
        RequireMemory<T>(n, candidates.Rows, $"Leverage scores of M = {candidates.Rows} candidates (the rows of candidates) at n = {n} (the rows of points)");
        Compute(points, kernel, candidates, options, scores);
    }

    /// <summary>The effective dimension d_λ = tr(K(K + λI)⁻¹) = n − λ·tr((K + λI)⁻¹) = Σ μ_k/(μ_k + λ) over K's eigenvalues μ_k.</summary>
    /// <param name="kernel">K, n × n with n ≥ 1, symmetric positive semidefinite, finite in its lower triangle; not modified (only its lower triangle, diagonal included, is read or checked).</param>
    /// <param name="lambda">λ &gt; 0.</param>
    /// <param name="blas">Threads for the factorization.</param>
    /// <returns>d_λ, between 0 and n.</returns>
    /// <exception cref="ArgumentException">K is not square, its lower triangle is not finite, or K + λI does not factor.</exception>
    /// <exception cref="ArgumentOutOfRangeException">λ is not positive and finite, or an option is out of range.</exception>
    /// <exception cref="InsufficientMemoryException">The n × n factor does not fit (the message gives the bytes).</exception>
    public static double EffectiveDimension<T>(ReadOnlyMatrixView<T> kernel, double lambda, BlasOptions? blas = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        if (!(double.IsFinite(lambda) && lambda > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda (λ) must be positive and finite.");
        }
        Guard.RequireSquare(kernel, nameof(kernel));
        int n = kernel.Rows;
        if (n < 1)
        {
            throw new ArgumentException("kernel is 0 × 0; expected n × n with n ≥ 1.", nameof(kernel));
        }
        NeuralTangentKernel.RequireFinite(kernel, nameof(kernel), lowerOnly: true);                     // the Cholesky factor reads only the lower triangle
        blas?.Validate();
        MemoryBudget.Require((long)n * n, System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), $"The {n} × {n} Cholesky factor of K + λI (n, the order of kernel)");
        var factor = new Matrix<T>(n, n);
        Factor(kernel, T.CreateChecked(lambda), factor, blas);
        // tr((K + λI)⁻¹) = ‖L⁻¹‖_F² = Σ_i ‖L⁻¹e_i‖²; L⁻¹e_i vanishes above row i, so each solve runs on the trailing
        // (n − i)-block: n³/3 flops in all.
        var column = new T[n];
        double trace = 0;
        for (int i = 0; i < n; i++)
        {
            Span<T> tail = column.AsSpan(0, n - i);
            tail.Clear();
            tail[0] = T.One;
            TriangularSolve.Solve(Triangle.Lower, Transpose.None, Diagonal.NonUnit, factor.ReadOnlyView.Slice(i, i, n - i, n - i), tail);
            trace += double.CreateChecked(Level1.Dot<T>(tail, tail));
        }
        return n - lambda * trace;
    }

    /// <summary>Fails early when the two n × n and two n × M work matrices do not fit.</summary>
    internal static void RequireMemory<T>(int n, long pool, string what) where T : unmanaged =>
        MemoryBudget.Require(2L * n * n + 2 * n * pool, System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), what);

    /// <summary>The scores without validation (for <see cref="LeverageSampling"/>, which has checked its inputs).</summary>
    internal static void Compute<T>(ReadOnlyMatrixView<T> points, ReadOnlyMatrixView<T> kernel, ReadOnlyMatrixView<T> candidates,
        LeverageSamplingOptions options, Span<double> scores) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = points.Rows, pool = candidates.Rows;
        var blas = options.Blas;
        T lambda = T.CreateChecked(options.Lambda);
        // The exact path factors K + λI in the storage that then holds G, so two n × n matrices suffice.
        var gram = new Matrix<T>(n, n);
        var weights = options.Estimator == LeverageScoreEstimator.Exact ? ExactInverse(kernel, lambda, gram, blas) : NystromInverse(kernel, lambda, options, blas);

        // weights ← G ⊙ A.
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, points, points, T.Zero, gram.View, blas);
        for (int i = 0; i < n; i++)
        {
            Elementwise.Arithmetic.Hadamard<T>(weights.Row(i), gram.Row(i), weights.Row(i));
        }

        var masks = new Matrix<T>(n, pool);
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, points, candidates, T.Zero, masks.View, blas);
        for (int i = 0; i < n; i++)
        {
            Span<T> row = masks.Row(i);
            for (int j = 0; j < pool; j++)
            {
                row[j] = row[j] >= T.Zero ? T.One : T.Zero;
            }
        }
        // (G ⊙ A)·B is n × M; G is no longer needed, so its storage holds the product when the pool is not larger than n.
        var product = pool <= n ? new MatrixView<T>(gram.AsSpan(), n, pool) : new Matrix<T>(n, pool).View;
        Level3.Gemm(Transpose.None, Transpose.None, T.One, weights.ReadOnlyView, masks.ReadOnlyView, T.Zero, product, blas);

        scores.Clear();
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<T> mask = masks.Row(i);
            ReadOnlySpan<T> quadratic = product.Row(i);
            for (int j = 0; j < pool; j++)
            {
                if (mask[j] != T.Zero)
                {
                    scores[j] += double.CreateChecked(quadratic[j]);
                }
            }
        }
    }

    /// <summary>(K + λI)⁻¹ from the Cholesky factor (formed in <paramref name="factor"/>), by solving against the identity (2n³ flops).</summary>
    private static Matrix<T> ExactInverse<T>(ReadOnlyMatrixView<T> kernel, T lambda, Matrix<T> factor, BlasOptions? blas) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = kernel.Rows;
        Factor(kernel, lambda, factor, blas);
        var inverse = new Matrix<T>(n, n);
        for (int i = 0; i < n; i++)
        {
            inverse[i, i] = T.One;
        }
        Cholesky.Solve(factor.ReadOnlyView, inverse.View, blas);
        return inverse;
    }

    /// <summary>The Cholesky factor of K + λI in <paramref name="factor"/> (n × n), or an exception naming the kernel when it does not factor.</summary>
    private static void Factor<T>(ReadOnlyMatrixView<T> kernel, T lambda, Matrix<T> factor, BlasOptions? blas) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = kernel.Rows;
        for (int i = 0; i < n; i++)
        {
            kernel.Row(i).CopyTo(factor.Row(i));
        }
        for (int i = 0; i < n; i++)
        {
            factor[i, i] += lambda;
        }
        if (!Cholesky.TryFactor(factor.View, out int pivot, blas))
        {
            throw new ArgumentException(
                $"K + λI (λ = {lambda}) did not factor at pivot {pivot}: K is not positive semidefinite, or λ is too small for {typeof(T).Name} precision (use double or a larger λ).",
                nameof(kernel));
        }
    }

    /// <summary>(K̂ + λI)⁻¹ = (I − Z·Zᵀ)/λ for the rank-ℓ Nyström K̂ (see the remarks).</summary>
    private static Matrix<T> NystromInverse<T>(ReadOnlyMatrixView<T> kernel, T lambda, LeverageSamplingOptions options, BlasOptions? blas)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = kernel.Rows, rank = Math.Min(options.NystromRank, n);
        var omega = new Matrix<T>(n, rank);
        new CounterRandom(CounterRandom.Derive(options.Seed, LeverageSampling.SeedPurpose), 0).FillNormal(omega.AsSpan(), T.Zero, T.One);
        var y = new Matrix<T>(n, rank);
        Level3.Gemm(Transpose.None, Transpose.None, T.One, kernel, omega.ReadOnlyView, T.Zero, y.View, blas);
        var core = new Matrix<T>(rank, rank);
        Level3.Gemm(Transpose.Transposed, Transpose.None, lambda, omega.ReadOnlyView, y.ReadOnlyView, T.Zero, core.View, blas);
        Level3.Gemm(Transpose.Transposed, Transpose.None, T.One, y.ReadOnlyView, y.ReadOnlyView, T.One, core.View, blas);
        FactorWithJitter(core);
        TriangularSolve.Solve(Side.Right, Triangle.Lower, Transpose.Transposed, Diagonal.NonUnit, core.ReadOnlyView, y.View, blas);

        var inverse = new Matrix<T>(n, n);
        Level3.Gemm(Transpose.None, Transpose.Transposed, -T.One / lambda, y.ReadOnlyView, y.ReadOnlyView, T.Zero, inverse.View, blas);
        for (int i = 0; i < n; i++)
        {
            inverse[i, i] += T.One / lambda;
        }
        return inverse;
    }

    /// <summary>Cholesky of the ℓ × ℓ core, adding a jitter of 10⁻¹²·trace·4^k until it factors (rounding can leave λΩᵀY + YᵀY barely indefinite).</summary>
    private static void FactorWithJitter<T>(Matrix<T> core) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int l = core.Rows;
        var original = new Matrix<T>(core.ReadOnlyView);
        T trace = T.Zero;
        for (int i = 0; i < l; i++)
        {
            trace += core[i, i];
        }
        T jitter = T.Zero;
        for (int attempt = 0; attempt < 60; attempt++)
        {
            if (Cholesky.TryFactor(core.View, out _))
            {
                return;
            }
            jitter = jitter == T.Zero ? T.CreateChecked(1e-12) * trace / T.CreateChecked(l) : jitter * T.CreateChecked(4);
            original.AsSpan().CopyTo(core.AsSpan());
            for (int i = 0; i < l; i++)
            {
                core[i, i] += jitter;
            }
        }
        throw new ArgumentException("The Nyström core λ·ΩᵀKΩ + ΩᵀK²Ω did not factor even with jitter: K is not positive semidefinite.", "kernel");
    }
}
