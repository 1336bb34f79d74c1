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
}
