namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>How a step's regression solve ended.</summary>
public enum RegressionStatus
{
    /// <summary>The solve succeeded and the step was applied.</summary>
    Solved,

    /// <summary>G was not positive definite (an empty active set, or duplicate points); the step was not applied.</summary>
    NotPositiveDefinite,

    /// <summary>The solution held a NaN or infinity; the step was not applied.</summary>
    NonFinite,

    /// <summary>
    /// <see cref="RegressionSolver.Sketched"/>: the sketched Jᵀ was rank-deficient (J itself rank-deficient, fewer than
    /// n rows |∪Q_i|·d, or a sketch too small to embed its range); the step was not applied.
    /// </summary>
    RankDeficient,

    /// <summary>
    /// <see cref="RegressionSolver.Sketched"/>: conjugate gradient stopped before its tolerance (iteration limit, or a
    /// breakdown pᵀJJᵀp ≤ 0); the step was not applied.
    /// </summary>
    NotConverged,

    /// <summary>
    /// The solution was finite, but the new weights it gives could overflow float: the step's bound on d·max|w|·max|x|
    /// (the weights' magnitude at the start plus every applied step's growth) could pass float.MaxValue/2, beyond which
    /// inner products are no longer safe (labels or a step size near float's range). The step was not applied; W is as
    /// before it, and the run ends with <see cref="StopReason.NonFinite"/>.
    /// </summary>
    Overflow,
}
