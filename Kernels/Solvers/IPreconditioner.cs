using System.Numerics;

namespace Kernels.Solvers;

/// <summary>
/// A preconditioner M ≈ A for an iterative solver, used only through z = M⁻¹·r: the identity, Jacobi (the diagonal), a
/// Cholesky factor, and later sketch-and-QR or Nyström approximations.
/// </summary>
/// <remarks>
/// <para>For <see cref="ConjugateGradient"/>, M must be symmetric positive definite; a preconditioner that is not shows
/// up as <see cref="SolverStatus.Breakdown"/> (rᵀ·M⁻¹·r ≤ 0).</para>
/// <para>Contract for implementations: <see cref="Apply"/> overwrites all of z, reads r only, does not allocate when called
/// repeatedly, gives the same bits for the same r on every call, and lets NaN or infinity propagate instead of throwing
/// (inputs of the wrong length throw <see cref="ArgumentException"/>).</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IPreconditioner<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>n: the preconditioner acts on vectors of n elements.</summary>
    int Dimension { get; }

    /// <summary>Computes z ← M⁻¹·r.</summary>
    /// <param name="r">The residual, <see cref="Dimension"/> elements; not modified.</param>
    /// <param name="z">The preconditioned residual, <see cref="Dimension"/> elements, which must not overlap <paramref name="r"/>.</param>
    /// <exception cref="ArgumentException">A length is not <see cref="Dimension"/>, or z overlaps r.</exception>
    void Apply(ReadOnlySpan<T> r, Span<T> z);
}
