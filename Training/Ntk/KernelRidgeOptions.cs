using Kernels.Blas;

namespace Kernels.Training.Ntk;

/// <summary>Options of <see cref="KernelRidge{T}"/>, checked by <see cref="Validate"/> before any work.</summary>
public sealed record KernelRidgeOptions
{
    /// <summary>λ &gt; 0, the ridge: the system is (K + λI)·α = y.</summary>
    public double Lambda { get; init; } = 1e-3;

    /// <summary>The solver; <see cref="KernelRidgeSolver.Auto"/> by default.</summary>
    public KernelRidgeSolver Solver { get; init; } = KernelRidgeSolver.Auto;

    /// <summary>Largest n that <see cref="KernelRidgeSolver.Auto"/> hands to Cholesky; at least 1.</summary>
    public int CholeskyLimit { get; init; } = 8192;

    /// <summary>ℓ, the rank of the Nyström preconditioner; at least 1 (capped at n).</summary>
    public int PreconditionerRank { get; init; } = 256;

    /// <summary>PCG stops at ‖r‖ ≤ this·‖y‖ for each right-hand side; positive and finite.</summary>
    public double RelativeTolerance { get; init; } = 1e-10;

    /// <summary>Most PCG iterations per right-hand side; null for 10·n.</summary>
    public int? MaxIterations { get; init; }

    /// <summary>Seed of the preconditioner's Gaussian test matrix.</summary>
    public ulong Seed { get; init; }

    /// <summary>Threads for the kernel build, the factorization and the products; null for <see cref="BlasOptions.Default"/>.</summary>
    public BlasOptions? Blas { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (λ ≤ 0 or not finite among them).</exception>
    public void Validate()
    {
        if (!(double.IsFinite(Lambda) && Lambda > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "Lambda (λ) must be positive and finite: kernel ridge regression needs K + λI positive definite.");
        }
        Guard.RequireDefined(Solver, nameof(Solver));
        if (CholeskyLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CholeskyLimit), CholeskyLimit, "CholeskyLimit must be at least 1.");
        }
        if (PreconditionerRank < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PreconditionerRank), PreconditionerRank, "PreconditionerRank must be at least 1.");
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
