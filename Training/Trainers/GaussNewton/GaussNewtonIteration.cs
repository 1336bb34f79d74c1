namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// One Gauss-Newton iteration, as <see cref="GaussNewtonDense"/> and <see cref="GaussNewtonSublinear"/> report it:
/// the residual before and after the step (Theorem 4.1 of seed 002 is about their ratio), the active sets the step
/// used, the neurons it changed, the solve, and where the time went.
/// </summary>
/// <param name="Iteration">0-based iteration number.</param>
/// <param name="ResidualBefore">‖f_t − y‖ before the step.</param>
/// <param name="ResidualAfter">‖f_{t+1} − y‖ after the step (equal to <paramref name="ResidualBefore"/> when the step was not applied).</param>
/// <param name="ActiveMin">Smallest active set |Q_i| the step used.</param>
/// <param name="ActiveMean">Mean active-set size.</param>
/// <param name="ActiveMax">Largest active-set size.</param>
/// <param name="ChangedNeurons">|∪Q_i|: the neurons the step changed.</param>
/// <param name="Status">How the regression solve ended.</param>
/// <param name="SolverIterations">Iterations of the regression solver: conjugate-gradient iterations for <see cref="RegressionSolver.Sketched"/>, 0 for the direct <see cref="RegressionSolver.Exact"/>.</param>
/// <param name="Query">Time to find the active sets and their values after the step (dense: all m·n products; sublinear: tree queries).</param>
/// <param name="Form">Time to form the regression (predictions, residual, and G for <see cref="RegressionSolver.Exact"/>; the sketch S·Jᵀ from the active sets and its QR for <see cref="RegressionSolver.Sketched"/>).</param>
/// <param name="Solve">Time to solve it.</param>
/// <param name="Update">Time to update W (and, sublinear, the trees): the changed neurons' new rows computed in place
/// (sublinear: as the forest refreshes their leaves and repairs its trees, in one pass over the rows).</param>
public readonly record struct GaussNewtonIteration(
    int Iteration,
    double ResidualBefore,
    double ResidualAfter,
    int ActiveMin,
    double ActiveMean,
    int ActiveMax,
    int ChangedNeurons,
    RegressionStatus Status,
    int SolverIterations,
    TimeSpan Query,
    TimeSpan Form,
    TimeSpan Solve,
    TimeSpan Update)
{
    /// <summary>‖f_{t+1} − y‖ / ‖f_t − y‖; Theorem 4.1 says ≤ ½ when m is large enough.</summary>
    public double Ratio => ResidualAfter / ResidualBefore;

    /// <summary>The squared loss ½‖f_{t+1} − y‖² after the step.</summary>
    public double Loss => 0.5 * ResidualAfter * ResidualAfter;

    /// <summary>The whole iteration's time.</summary>
    public TimeSpan Total => Query + Form + Solve + Update;
}
