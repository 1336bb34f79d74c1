namespace Kernels.Solvers;

/// <summary>Options of <see cref="Lanczos.ExtremeEigenvalues{T}"/>; checked by <see cref="Validate"/> before any work.</summary>
public sealed record LanczosOptions
{
    /// <summary>The defaults: at most 300 Lanczos steps, relative tolerance 1e-8, seed 0.</summary>
    public static LanczosOptions Default { get; } = new();

    /// <summary>Most Lanczos steps (the Krylov dimension), at least 1; capped at the operator's dimension. Memory is this many vectors.</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>
    /// Stop when both extreme Ritz pairs have residual ‖A·v − θ·v‖ = |β_k·s_k| ≤ tolerance·max(|θ_min|, |θ_max|);
    /// positive and finite.
    /// </summary>
    public double RelativeTolerance { get; init; } = 1e-8;

    /// <summary>Seed of the start vector (and of any restart vector after an invariant subspace is found).</summary>
    public ulong Seed { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (MaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be at least 1.");
        }
        if (!(double.IsFinite(RelativeTolerance) && RelativeTolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, "RelativeTolerance must be positive and finite.");
        }
    }
}
