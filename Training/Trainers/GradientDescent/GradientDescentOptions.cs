using Kernels.Blas;
using Kernels.Training.Trainers.GaussNewton;

namespace Kernels.Training.Trainers.GradientDescent;

/// <summary>Options of <see cref="GradientDescent"/>.</summary>
public sealed record GradientDescentOptions
{
    /// <summary>The step size η &gt; 0 of W ← W − η·Jᵀ(f − y). Default 1.</summary>
    public double StepSize { get; init; } = 1;

    /// <summary>Most iterations to run, ≥ 1. Default 100.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stop once ‖f − y‖ ≤ this, ≥ 0 and finite. Default 0.</summary>
    public double ResidualTolerance { get; init; }

    /// <summary>Threads for the products; <see cref="BlasOptions.Default"/> when null.</summary>
    public BlasOptions? Blas { get; init; }

    /// <summary>The given options, or the defaults when null, after <see cref="Validate"/>.</summary>
    internal static GradientDescentOptions Validated(GradientDescentOptions? options)
    {
        options ??= new GradientDescentOptions();
        options.Validate();
        return options;
    }

    /// <summary>What the shared training loop needs from these options.</summary>
    internal ShiftedReluLoop.Settings ToLoopSettings() => new(MaxIterations, ResidualTolerance, StepSize, Blas);

    /// <summary>Throws if an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate() => ToLoopSettings().Validate();
}
