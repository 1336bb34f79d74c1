namespace Kernels.Solvers;

/// <summary>Stopping rule, start and reporting of <see cref="ConjugateGradient.Solve{T}"/>.</summary>
/// <remarks>
/// The solve stops when the 2-norm of the recurrence residual r = b − A·x satisfies
/// ‖r‖ ≤ max(<see cref="RelativeTolerance"/>·‖b‖, <see cref="AbsoluteTolerance"/>), the rule of SciPy's <c>cg</c>
/// (<c>tol</c>/<c>rtol</c> and <c>atol</c>), so iteration counts can be compared directly.
/// </remarks>
public sealed record ConjugateGradientOptions
{
    /// <summary>Options with every default: relative tolerance 10⁻⁶, no absolute tolerance, at most 10·n iterations, zero start.</summary>
    public static ConjugateGradientOptions Default { get; } = new();

    /// <summary>Stop once ‖r‖ ≤ RelativeTolerance·‖b‖ (default 10⁻⁶). Must be finite and non-negative.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    /// <summary>Stop once ‖r‖ ≤ AbsoluteTolerance (default 0, off). Must be finite and non-negative.</summary>
    public double AbsoluteTolerance { get; init; }

    /// <summary>Iteration limit; <c>null</c> (the default) means 10·n, as SciPy. Must be non-negative.</summary>
    public int? MaxIterations { get; init; }

    /// <summary>Start from zero (the default) or from x's contents.</summary>
    public InitialGuess InitialGuess { get; init; } = InitialGuess.Zero;

    /// <summary>
    /// Record ‖r_k‖/‖b‖ for k = 0 (the start) … the last iteration in <see cref="ConjugateGradientResult.ResidualHistory"/>.
    /// Off by default; when on, the history list grows by doubling, so iterations are no longer allocation-free.
    /// </summary>
    public bool RecordResidualHistory { get; init; }

    /// <summary>Called after every iteration with its residual (not after the start). Exceptions it throws propagate out of the solve.</summary>
    public Action<ConjugateGradientProgress>? Progress { get; init; }

    /// <summary>Throws if a field is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is negative or not finite, or <see cref="MaxIterations"/> is negative.</exception>
    public void Validate()
    {
        if (!(double.IsFinite(RelativeTolerance) && RelativeTolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, "RelativeTolerance must be finite and non-negative.");
        }
        if (!(double.IsFinite(AbsoluteTolerance) && AbsoluteTolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(AbsoluteTolerance), AbsoluteTolerance, "AbsoluteTolerance must be finite and non-negative.");
        }
        if (MaxIterations is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be non-negative.");
        }
        if (InitialGuess is not (InitialGuess.Zero or InitialGuess.FromX))
        {
            throw new ArgumentOutOfRangeException(nameof(InitialGuess), InitialGuess, "InitialGuess must be Zero or FromX.");
        }
    }
}
