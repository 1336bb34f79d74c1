using System.Numerics;

namespace Kernels.Solvers;

/// <summary>
/// A square linear operator y = A·x that iterative solvers use only through its action: a dense or sparse matrix, a
/// shifted or composed operator, or something never formed at all (a Jacobian product J·Jᵀ·x, a kernel matrix).
/// </summary>
/// <remarks>
/// <para><see cref="ConjugateGradient"/> needs A symmetric positive definite; this interface cannot check that, and
/// an indefinite A shows up as <see cref="SolverStatus.Breakdown"/>.</para>
/// <para>Contract for implementations: <see cref="Apply"/> overwrites all of y, reads x only, never writes x, and does
/// not allocate when called repeatedly (solvers call it once per iteration). Inputs of the wrong length throw
/// <see cref="ArgumentException"/>; solvers check the lengths once before iterating. Numerical trouble (NaN, infinity)
/// propagates into y instead of throwing, so a solver can report it. For reproducible solves, the same x must give
/// the same bits in y on every call, whatever the thread count.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ILinearOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>n: the operator maps vectors of n elements to vectors of n elements.</summary>
    int Dimension { get; }

    /// <summary>Computes y ← A·x.</summary>
    /// <param name="x">The input, <see cref="Dimension"/> elements; not modified.</param>
    /// <param name="y">The output, <see cref="Dimension"/> elements, which must not overlap <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">A length is not <see cref="Dimension"/>, or y overlaps x.</exception>
    void Apply(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>
    /// Writes the diagonal of A to <paramref name="diagonal"/> when the operator knows it cheaply (a matrix does, an
    /// implicit operator may not); used to build a <see cref="JacobiPreconditioner{T}"/>.
    /// </summary>
    /// <param name="diagonal">Destination of <see cref="Dimension"/> elements; left unchanged when false is returned.</param>
    /// <returns>True when the diagonal was written.</returns>
    /// <exception cref="ArgumentException"><paramref name="diagonal"/> does not have <see cref="Dimension"/> elements.</exception>
    bool TryCopyDiagonal(Span<T> diagonal);
}
