using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Randomness;

namespace Kernels.Training.Ntk;

/// <summary>
/// Leverage-score sampling of NTK random features (after Avron et al. 2017, §D of the papers): draw a candidate pool of
/// M = <see cref="LeverageSamplingOptions.PoolFactor"/>·m weights from p = N(0, I), estimate each candidate's ridge leverage
/// score τ_λ(w) = tr(φ_w(X)ᵀ(K + λI)⁻¹φ_w(X)) — φ_w(X) is the n × d block with rows x_i·1(⟨w, x_i⟩ ≥ 0) — resample m of
/// them with probability π_j = τ_j/Σ τ, and scale each by s = √(p/q) = √(1/(M·π_j)).
/// </summary>
/// <remarks>
/// <para><b>Unbiased.</b> For any function f of w, E[s²·f(w_J)] = Σ_j π_j·f(w_j)/(M·π_j) = (1/M)·Σ_j f(w_j), the pool
/// average, whose expectation over the pool is E_p[f]. So φ(x)ᵀφ(z) is an unbiased estimate of K(x, z) whatever the
/// scores; good scores only lower its variance where K + λI is sensitive.</para>
/// <para><b>Estimator.</b> (K + λI)⁻¹ is replaced by (K̂ + λI)⁻¹ for the Nyström approximation K̂ = Y·(ΩᵀY)⁻¹·Yᵀ, Y = K·Ω,
/// Ω an n × ℓ Gaussian: by Woodbury (K̂ + λI)⁻¹ = (I − Z·Zᵀ)/λ with Z = Y·L⁻ᵀ and L·Lᵀ = λ·ΩᵀY + YᵀY. Since K̂ ≼ K, the
/// estimate is an upper bound on τ (a safe oversampling). With B the n × M 0/1 masks of the pool and G = X·Xᵀ,
/// λ·τ_j = Σ_i B_ij‖x_i‖² − b_jᵀ·(G ⊙ Z·Zᵀ)·b_j.</para>
/// <para><b>Cost.</b> Flops: 2n²ℓ (Y) + 2n²ℓ (Z·Zᵀ) + 2n²d (G) + 2n·M·d (masks) + 2n²·M (the quadratic forms), plus an ℓ³/3
/// Cholesky; memory: the caller's K, two n × n and two n × M matrices (checked up front, the message gives the bytes).
/// The n²·M term dominates: the estimator is meant for n up to a few thousand, where the exact kernel and the
/// diagnostics live anyway.</para>
/// </remarks>
public static class LeverageSampling
{
    /// <summary>The seed purpose of the test matrix and the resampling (see the README's Seeds note).</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("leverage");

    /// <summary>Samples m features by their estimated ridge leverage scores.</summary>
    /// <param name="points">X, n × d, finite.</param>
    /// <param name="kernel">K(X, X), n × n, from <see cref="NeuralTangentKernel.Build{T}(ReadOnlyMatrixView{T}, MatrixView{T}, BlasOptions?)"/>; finite.</param>
    /// <param name="count">m ≥ 1, the features to keep.</param>
    /// <param name="options">λ, pool size, Nyström rank, seed and threads.</param>
    /// <returns>m features with scales √(p/q); the same seed gives the same bits.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A shape does not match or an input is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">m is below 1 or an option is out of range (λ ≤ 0 among them).</exception>
    /// <exception cref="InsufficientMemoryException">The work matrices do not fit (the message gives the bytes).</exception>
    public static RandomFeatures<T> Sample<T>(ReadOnlyMatrixView<T> points, ReadOnlyMatrixView<T> kernel, int count, LeverageSamplingOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Guard.RequireAtLeast(count, 1, nameof(count));
        int n = points.Rows, d = points.Columns;
        if (n < 1 || d < 1)
        {
            throw new ArgumentException($"points is {n} × {d}; expected n × d with n, d ≥ 1.", nameof(points));
        }
        Guard.RequireShape(kernel, n, n, nameof(kernel), "n × n for the n points");
        NeuralTangentKernel.RequireFinite(points, nameof(points));
        NeuralTangentKernel.RequireFinite(kernel, nameof(kernel));
        long pool = (long)options.PoolFactor * count;
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        MemoryBudget.Require(2L * n * n + 2 * n * pool + pool * d, size, $"Leverage sampling of {count} from a pool of {pool} at n = {n}");

        var candidates = RandomFeatures<T>.Gaussian((int)pool, d, options.Seed, stream: 1);
        double[] scores = Scores(points, kernel, candidates.ReadOnlyView, options);
        return Resample(candidates, scores, count, CounterRandom.Derive(options.Seed, SeedPurpose));
    }

    /// <summary>The estimated λ·τ_j for every candidate (see the remarks), floored at 10⁻¹² of their mean.</summary>
    internal static double[] Scores<T>(ReadOnlyMatrixView<T> points, ReadOnlyMatrixView<T> kernel, ReadOnlyMatrixView<T> candidates,
        LeverageSamplingOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = points.Rows, pool = candidates.Rows, rank = Math.Min(options.NystromRank, n);
        T lambda = T.CreateChecked(options.Lambda);
        var blas = options.Blas;

        var omega = new Matrix<T>(n, rank);
        new CounterRandom(CounterRandom.Derive(options.Seed, SeedPurpose), 0).FillNormal(omega.AsSpan(), T.Zero, T.One);
        var y = new Matrix<T>(n, rank);
        Level3.Gemm(Transpose.None, Transpose.None, T.One, kernel, omega.ReadOnlyView, T.Zero, y.View, blas);
        var core = new Matrix<T>(rank, rank);
        Level3.Gemm(Transpose.Transposed, Transpose.None, lambda, omega.ReadOnlyView, y.ReadOnlyView, T.Zero, core.View, blas);
        Level3.Gemm(Transpose.Transposed, Transpose.None, T.One, y.ReadOnlyView, y.ReadOnlyView, T.One, core.View, blas);
        FactorWithJitter(core);
        TriangularSolve.Solve(Side.Right, Triangle.Lower, Transpose.Transposed, Diagonal.NonUnit, core.ReadOnlyView, y.View, blas);

        var weighted = new Matrix<T>(n, n);
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, y.ReadOnlyView, y.ReadOnlyView, T.Zero, weighted.View, blas);
        var gram = new Matrix<T>(n, n);
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, points, points, T.Zero, gram.View, blas);
        for (int i = 0; i < n; i++)
        {
            Elementwise.Arithmetic.Hadamard<T>(weighted.Row(i), gram.Row(i), weighted.Row(i));
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
        // S·B is n × pool; G is no longer needed, so its storage holds the product when the pool is not larger than n.
        var product = pool <= n ? new MatrixView<T>(gram.AsSpan(), n, pool) : new Matrix<T>(n, pool).View;
        Level3.Gemm(Transpose.None, Transpose.None, T.One, weighted.ReadOnlyView, masks.ReadOnlyView, T.Zero, product, blas);

        var scores = new double[pool];
        for (int i = 0; i < n; i++)
        {
            double squaredNorm = double.CreateChecked(Level1.Dot(points.Row(i), points.Row(i)));
            ReadOnlySpan<T> mask = masks.Row(i);
            ReadOnlySpan<T> quadratic = product.Row(i);
            for (int j = 0; j < pool; j++)
            {
                if (mask[j] != T.Zero)
                {
                    scores[j] += squaredNorm - double.CreateChecked(quadratic[j]);
                }
            }
        }
        double mean = scores.Average();
        double floor = 1e-12 * Math.Max(mean, double.Epsilon);
        for (int j = 0; j < pool; j++)
        {
            scores[j] = Math.Max(scores[j], floor);
        }
        return scores;
    }

    /// <summary>Cholesky of the ℓ × ℓ core, adding a jitter of 10⁻¹²·trace·2^k until it factors (rounding can leave λΩᵀY + YᵀY barely indefinite).</summary>
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

    /// <summary>m draws with probability τ_j/Σ τ (inverse transform on the cumulative sums), each scaled by √(Σ τ/(M·τ_j)).</summary>
    private static RandomFeatures<T> Resample<T>(Matrix<T> candidates, double[] scores, int count, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pool = scores.Length, d = candidates.Columns;
        var cumulative = new double[pool];
        double total = 0;
        for (int j = 0; j < pool; j++)
        {
            total += scores[j];
            cumulative[j] = total;
        }
        var uniforms = new double[count];
        new CounterRandom(seed, 1).FillUniform<double>(uniforms);
        var weights = new Matrix<T>(count, d);
        var scales = new T[count];
        for (int r = 0; r < count; r++)
        {
            int j = Array.BinarySearch(cumulative, uniforms[r] * total);
            j = j < 0 ? ~j : j;
            j = Math.Min(j, pool - 1);
            candidates.Row(j).CopyTo(weights.Row(r));
            scales[r] = T.CreateChecked(Math.Sqrt(total / (pool * scores[j])));
        }
        return RandomFeatures<T>.Own(weights, scales);
    }
}
