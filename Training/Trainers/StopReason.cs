namespace Kernels.Training.Trainers;

/// <summary>Why a training run ended.</summary>
public enum StopReason
{
    /// <summary>It ran the maximum number of iterations.</summary>
    MaxIterations,

    /// <summary>The residual ‖f − y‖ reached the tolerance.</summary>
    Converged,

    /// <summary>The regression solve failed (see the last report's status); that step was not applied.</summary>
    SolverFailed,

    /// <summary>The cancellation token was signalled; the model holds the last completed iteration.</summary>
    Cancelled,

    /// <summary>The loss, a gradient or an updated weight was NaN or infinite, or (for the shifted-ReLU trainers,
    /// <see cref="GaussNewton.RegressionStatus.Overflow"/>) could overflow float: the step is too large; that step was not
    /// applied, so the model holds the last finite weights.</summary>
    NonFinite,
}
