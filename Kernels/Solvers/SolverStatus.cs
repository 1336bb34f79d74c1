namespace Kernels.Solvers;

/// <summary>How an iterative solve ended. Numerical trouble is reported here rather than thrown.</summary>
public enum SolverStatus
{
    /// <summary>The residual met the tolerance: ‖r‖ ≤ max(relative·‖b‖, absolute).</summary>
    Converged,

    /// <summary>The iteration limit was reached first; x holds the last iterate.</summary>
    MaxIterations,

    /// <summary>
    /// The operator or the preconditioner is not positive definite along the current direction: pᵀ·A·p ≤ 0 or
    /// rᵀ·M⁻¹·r ≤ 0. x holds the iterate before the failing step.
    /// </summary>
    Breakdown,

    /// <summary>A NaN or infinity appeared (in b, the initial guess, or a product); x may hold non-finite values.</summary>
    NonFinite,
}
