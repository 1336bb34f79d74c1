namespace Kernels.Training.Ntk;

/// <summary>How <see cref="LeverageScores.Estimate{T}"/> replaces (K + λI)⁻¹ in the ridge leverage scores.</summary>
public enum LeverageScoreEstimator
{
    /// <summary>
    /// The exact inverse from a Cholesky factor of K + λI: n³/3 + 2n³ flops and no approximation error beyond rounding.
    /// The default, for the n up to a few thousand at which the scores' 2n²·M quadratic forms are affordable anyway.
    /// </summary>
    Exact = 0,

    /// <summary>
    /// (K̂ + λI)⁻¹ for a rank-ℓ Nyström approximation K̂ ≼ K (ℓ = <see cref="LeverageSamplingOptions.NystromRank"/>):
    /// 4n²ℓ flops. Since K̂ ≼ K every score is over-estimated; the error is large when K's spectrum beyond rank ℓ is well
    /// above λ, where the estimate sees the residual of each feature at weight 1/λ instead of 1/(μ + λ).
    /// </summary>
    Nystrom = 1,
}
