namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// Options of <see cref="RegressionSolver.Sketched"/>: the OSNAP sketch S (s × |∪Q_i|·d, drawn afresh every iteration and
/// applied to Jᵀ without storing either) whose QR preconditions the solve, and the stopping rule of the preconditioned
/// conjugate gradient on J·Jᵀ·g = f − y.
/// </summary>
/// <remarks>
/// With s = 4n rows and 4 nonzeros per column, S is in practice a subspace embedding of the n-dimensional range of Jᵀ
/// with small distortion ε, so κ((RᵀR)⁻¹·J·Jᵀ) ≤ (1 + ε)/(1 − ε) and conjugate gradient needs a handful of iterations
/// whatever κ(J·Jᵀ) is (the theorems ask for more rows; see the README of Sketching). Sketching costs
/// <see cref="NonzerosPerColumn"/>·d·Σ|Q_i| multiply-adds, and each conjugate-gradient iteration 2·d·Σ|Q_i|.
/// </remarks>
public sealed record SketchedSolverOptions
{
    /// <summary>s/n: the sketch has this many rows per data point, in [1, 64]. Default 4.</summary>
    public int SketchRowsPerPoint { get; init; } = 4;

    /// <summary>t: nonzeros of each column of S, in [1, <see cref="SketchRowsPerPoint"/>] (so t ≤ s). Default 4.</summary>
    public int NonzerosPerColumn { get; init; } = 4;

    /// <summary>Conjugate gradient stops once ‖J·Jᵀ·g − (f − y)‖ ≤ this·‖f − y‖; in (0, 1). Default 1e-10.</summary>
    public double RelativeTolerance { get; init; } = 1e-10;

    /// <summary>Most conjugate-gradient iterations per step, ≥ 1. Default 100.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Throws if an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (SketchRowsPerPoint is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(SketchRowsPerPoint), SketchRowsPerPoint, "The sketch needs 1 to 64 rows per data point.");
        }
        if (NonzerosPerColumn < 1 || NonzerosPerColumn > SketchRowsPerPoint)
        {
            throw new ArgumentOutOfRangeException(nameof(NonzerosPerColumn), NonzerosPerColumn,
                $"Each column of the sketch needs 1 to SketchRowsPerPoint = {SketchRowsPerPoint} nonzeros.");
        }
        if (!double.IsFinite(RelativeTolerance) || RelativeTolerance <= 0 || RelativeTolerance >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, "The relative tolerance must lie in (0, 1).");
        }
        if (MaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "At least one iteration is needed.");
        }
    }
}
