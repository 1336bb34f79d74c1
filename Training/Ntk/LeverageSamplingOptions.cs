using Kernels.Blas;

namespace Kernels.Training.Ntk;

/// <summary>Options of <see cref="LeverageSampling.Sample{T}"/>, checked by <see cref="Validate"/> before any work.</summary>
public sealed record LeverageSamplingOptions
{
    /// <summary>λ &gt; 0, the ridge of the leverage scores τ_λ(w) = tr(φ_w(X)ᵀ(K + λI)⁻¹φ_w(X)).</summary>
    public double Lambda { get; init; } = 1e-3;

    /// <summary>
    /// The candidate pool holds this many times m weights drawn from p = N(0, I); at least 1. The m draws are with replacement,
    /// so about m·E[τ²]/(2·PoolFactor·E[τ]²) of them repeat a candidate, and a repeat is one feature of twice the weight:
    /// where the spectral error is set by the largest single feature (ε ≫ 1, see docs/results/ntk-leverage.md) a small pool
    /// costs more than the scores gain. The scores cost 2n²·M flops for a pool of M.
    /// </summary>
    public int PoolFactor { get; init; } = 8;

    /// <summary>How the scores replace (K + λI)⁻¹: exactly (the default) or through a rank-ℓ Nyström approximation; see <see cref="LeverageScores"/>.</summary>
    public LeverageScoreEstimator Estimator { get; init; } = LeverageScoreEstimator.Exact;

    /// <summary>ℓ, the rank of the Nyström approximation of K behind the scores when <see cref="Estimator"/> is <see cref="LeverageScoreEstimator.Nystrom"/>; at least 1 (capped at n).</summary>
    public int NystromRank { get; init; } = 64;

    /// <summary>The user seed (pool, Nyström test matrix and resampling derive their streams from it).</summary>
    public ulong Seed { get; init; }

    /// <summary>Threads for the Gemm products.</summary>
    public BlasOptions? Blas { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (λ ≤ 0 or an undefined estimator among them).</exception>
    public void Validate()
    {
        if (!(double.IsFinite(Lambda) && Lambda > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "Lambda (λ) must be positive and finite: ridge leverage scores need K + λI positive definite.");
        }
        if (PoolFactor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PoolFactor), PoolFactor, "PoolFactor must be at least 1.");
        }
        Guard.RequireDefined(Estimator, nameof(Estimator));
        if (NystromRank < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(NystromRank), NystromRank, "NystromRank must be at least 1.");
        }
        Blas?.Validate();
    }
}
