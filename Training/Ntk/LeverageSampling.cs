using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Randomness;

namespace Kernels.Training.Ntk;

/// <summary>
/// Leverage-score sampling of NTK random features (after Avron et al. 2017, §D of the papers): draw a candidate pool of
/// M = <see cref="LeverageSamplingOptions.PoolFactor"/>·m weights from p = N(0, I), score each candidate by
/// τ_λ(w)/p(w) = tr(φ_w(X)ᵀ(K + λI)⁻¹φ_w(X)) (<see cref="LeverageScores"/>; φ_w(X) is the n × d block with rows
/// x_i·1(⟨w, x_i⟩ ≥ 0)), resample m of them with probability π_j = τ_j/Σ τ — so the draws follow q ∝ p·(τ/p) = τ_λ — and
/// scale each by s = √(p/q) = √(1/(M·π_j)).
/// </summary>
/// <remarks>
/// <para><b>Unbiased.</b> For any function f of w, E[s²·f(w_J)] = Σ_j π_j·f(w_j)/(M·π_j) = (1/M)·Σ_j f(w_j), the pool
/// average, whose expectation over the pool is E_p[f]. So φ(x)ᵀφ(z) is an unbiased estimate of K(x, z) whatever the
/// scores; good scores only lower its variance where K + λI is sensitive.</para>
/// <para><b>Scores and cost.</b> <see cref="LeverageSamplingOptions.Estimator"/> chooses exact scores (a Cholesky inverse of
/// K + λI, the default) or a rank-ℓ Nyström estimate; see <see cref="LeverageScores"/> for both and their cost, dominated
/// by 2n²·M flops for the pool's quadratic forms plus 2n³ for the exact inverse. Memory: the caller's K, two n × n and two
/// n × M matrices and the M × d pool (checked up front, the message gives the bytes). Meant for n up to a few thousand,
/// where the exact kernel and the diagnostics live anyway.</para>
/// </remarks>
public static class LeverageSampling
{
    /// <summary>The seed purpose of the test matrix and the resampling (see the README's Seeds note).</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("leverage");

    /// <summary>Samples m features by their estimated ridge leverage scores.</summary>
    /// <param name="points">X, n × d, finite.</param>
    /// <param name="kernel">K(X, X), n × n, from <see cref="NeuralTangentKernel.Build{T}(ReadOnlyMatrixView{T}, MatrixView{T}, BlasOptions?)"/>; finite.</param>
    /// <param name="count">m ≥ 1, the features to keep.</param>
    /// <param name="options">λ, score estimator, pool size, Nyström rank, seed and threads.</param>
    /// <returns>m features with scales √(p/q); the same seed gives the same bits.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A shape does not match, an input is not finite, or K + λI does not factor for the exact scores.</exception>
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
        MemoryBudget.Require(pool * d, System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), $"A pool of {pool} candidates (options.PoolFactor · count) of dimension {d} (the columns of points)");
        LeverageScores.RequireMemory<T>(n, pool, $"Leverage sampling of count = {count} from a pool of {pool} (options.PoolFactor · count) at n = {n} (the rows of points)");

        var candidates = RandomFeatures<T>.Gaussian((int)pool, d, options.Seed, stream: 1);
        var scores = new double[pool];
        LeverageScores.Compute(points, kernel, candidates.ReadOnlyView, options, scores);
        // A candidate inactive on every point scores 0 but may be active elsewhere: a floor of 10⁻¹² of the mean keeps every
        // candidate drawable, so the estimate stays unbiased for any pair of points, not only those of X.
        double floor = 1e-12 * Math.Max(scores.Average(), double.Epsilon);
        for (int j = 0; j < scores.Length; j++)
        {
            scores[j] = Math.Max(scores[j], floor);
        }
        return Resample(candidates, scores, count, CounterRandom.Derive(options.Seed, SeedPurpose));
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
