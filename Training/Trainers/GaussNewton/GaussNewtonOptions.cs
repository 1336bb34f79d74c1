using Kernels.Blas;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>Options shared by <see cref="GaussNewtonDense"/> and <see cref="GaussNewtonSublinear"/>.</summary>
public sealed record GaussNewtonOptions
{
    /// <summary>Most iterations to run, ≥ 1. Default 10.</summary>
    public int MaxIterations { get; init; } = 10;

    /// <summary>Stop once ‖f − y‖ ≤ this, ≥ 0 and finite. Default 0 (run every iteration).</summary>
    public double ResidualTolerance { get; init; }

    /// <summary>How each step solves its regression. Default <see cref="RegressionSolver.Exact"/>.</summary>
    public RegressionSolver Solver { get; init; } = RegressionSolver.Exact;

    /// <summary>The sketch and stopping rule of <see cref="RegressionSolver.Sketched"/> (unused by <see cref="RegressionSolver.Exact"/>); not null.</summary>
    public SketchedSolverOptions Sketched { get; init; } = new();

    /// <summary>Threads for the products and trees; <see cref="BlasOptions.Default"/> when null.</summary>
    public BlasOptions? Blas { get; init; }

    /// <summary>The given options, or the defaults when null, after <see cref="Validate"/>.</summary>
    internal static GaussNewtonOptions Validated(GaussNewtonOptions? options)
    {
        options ??= new GaussNewtonOptions();
        options.Validate();
        return options;
    }

    /// <summary>What the shared training loop needs from these options.</summary>
    internal ShiftedReluLoop.Settings ToLoopSettings() => new(MaxIterations, ResidualTolerance, null, Blas,
        Solver == RegressionSolver.Sketched ? Sketched : null);

    /// <summary>Throws if an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range or an enum value is undefined.</exception>
    /// <exception cref="ArgumentNullException"><see cref="Sketched"/> is null.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Solver))
        {
            throw new ArgumentOutOfRangeException(nameof(Solver), Solver, "Unknown regression solver.");
        }
        if (Sketched is null)
        {
            throw new ArgumentNullException(nameof(Sketched), "The sketched solver's options must not be null.");
        }
        Sketched.Validate();
        ToLoopSettings().Validate();
    }
}
