using System.Numerics;

namespace Kernels.Solvers;

/// <summary>
/// A square linear map (<see cref="ILinearMap{T}.Rows"/> = <see cref="ILinearMap{T}.Columns"/> =
/// <see cref="Dimension"/>) as iterative solvers use it: y = A·x, and the diagonal when it is cheap. A dense or sparse
/// matrix, a shifted or Gram operator, or something never formed at all (a Jacobian product J·Jᵀ·x, a kernel matrix).
/// </summary>
/// <remarks>
/// <para><see cref="ConjugateGradient"/> needs A symmetric positive definite; this interface cannot check that, and
/// an indefinite A shows up as <see cref="SolverStatus.Breakdown"/>.</para>
/// <para>Contract for implementations: that of <see cref="ILinearMap{T}"/>; <see cref="Apply(ReadOnlySpan{T}, Span{T})"/>
/// is its product with α = 1 and β = 0 (overwrites all of y, reads x only, does not allocate when called repeatedly,
/// propagates NaN instead of throwing, same bits on every call whatever the thread count). Solvers check the lengths
/// once before iterating.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ILinearOperator<T> : ILinearMap<T> where T : unmanaged, IFloatingPointIeee754<T>
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
