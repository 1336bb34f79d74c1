namespace Kernels.Linalg;

/// <summary>How <see cref="MixedPrecisionCholesky.TrySolve"/> ended.</summary>
public enum MixedPrecisionOutcome
{
    /// <summary>Every column's residual reached double-precision level: ‖b − A·x‖∞ ≤ ‖x‖∞·‖A‖∞·ε·√n.</summary>
    Converged,

    /// <summary>The float factorization failed: A rounded to float is not numerically positive definite (κ·ε_float ≳ 1).</summary>
    NotPositiveDefinite,

    /// <summary>Refinement stalled (the residual stopped shrinking) or used up its steps: the float factor is too inaccurate for A.</summary>
    NotConverged,
}
