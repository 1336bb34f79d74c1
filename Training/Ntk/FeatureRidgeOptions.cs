using Kernels.Blas;

namespace Kernels.Training.Ntk;

/// <summary>Options of <see cref="FeatureRidge{T}"/>, checked by <see cref="Validate"/> before any work.</summary>
public sealed record FeatureRidgeOptions
{
    /// <summary>λ &gt; 0: the system is (ΦᵀΦ + λI)·β = Φᵀy.</summary>
    public double Lambda { get; init; } = 1e-3;

    /// <summary>CG stops at ‖r‖ ≤ this·‖Φᵀy‖ for each right-hand side; positive and finite.</summary>
    public double RelativeTolerance { get; init; } = 1e-8;

    /// <summary>Most CG iterations per right-hand side; null for 10·m·d.</summary>
    public int? MaxIterations { get; init; }

    /// <summary>Threads for the products.</summary>
    public BlasOptions? Blas { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (λ ≤ 0 among them).</exception>
    public void Validate()
    {
        if (!(double.IsFinite(Lambda) && Lambda > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "Lambda (λ) must be positive and finite: the primal system needs ΦᵀΦ + λI positive definite.");
        }
        if (!(double.IsFinite(RelativeTolerance) && RelativeTolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, "RelativeTolerance must be positive and finite.");
        }
        if (MaxIterations is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be at least 1 when given.");
        }
        Blas?.Validate();
    }
}
