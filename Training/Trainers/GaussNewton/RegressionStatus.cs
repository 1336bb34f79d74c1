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
}
