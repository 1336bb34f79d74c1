namespace Kernels.Sketching.Diagnostics;

/// <summary>
/// The extreme eigenvalues of (SQ)ᵀ(SQ) for a sketch S and an orthonormal basis Q of a d-dimensional subspace: every
/// x in the subspace has ‖Sx‖² / ‖x‖² in [<see cref="MinEigenvalue"/>, <see cref="MaxEigenvalue"/>], and both ends are
/// attained. S is a (1 ± ε) subspace embedding of the subspace exactly when <see cref="Distortion"/> ≤ ε
/// (Definition 3.1 of the paper).
/// </summary>
/// <param name="MinEigenvalue">λmin((SQ)ᵀ(SQ)) = σmin(SQ)².</param>
/// <param name="MaxEigenvalue">λmax((SQ)ᵀ(SQ)) = σmax(SQ)².</param>
/// <param name="Dimension">d, the dimension of the subspace.</param>
public readonly record struct SubspaceDistortionResult(double MinEigenvalue, double MaxEigenvalue, int Dimension)
{
    /// <summary>ε = max(λmax − 1, 1 − λmin): the smallest ε for which S is a (1 ± ε) subspace embedding of the subspace.</summary>
    public double Distortion => Math.Max(MaxEigenvalue - 1, 1 - MinEigenvalue);

    /// <summary>σmin(SQ) = √λmin (0 if rounding made λmin slightly negative).</summary>
    public double MinSingularValue => Math.Sqrt(Math.Max(MinEigenvalue, 0));

    /// <summary>σmax(SQ) = √λmax.</summary>
    public double MaxSingularValue => Math.Sqrt(Math.Max(MaxEigenvalue, 0));

    /// <summary>True when S is a (1 ± ε) subspace embedding of the subspace: <see cref="Distortion"/> ≤ ε.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is negative or not finite.</exception>
    public bool IsWithin(double epsilon)
    {
        if (!(double.IsFinite(epsilon) && epsilon >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be finite and non-negative.");
        }
        return Distortion <= epsilon;
    }
}
