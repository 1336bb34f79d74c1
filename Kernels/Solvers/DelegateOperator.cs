using System.Numerics;
using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>
/// A square linear operator given as code (<see cref="LinearMap{T}"/>), for operators that are never formed: J·Jᵀ·x
/// through two sparse products, a kernel matrix evaluated on the fly, a sketch. The diagonal is optional.
/// </summary>
/// <remarks>
/// The operators solvers take are symmetric, so the one product serves as A·x and Aᵀ·x (a non-symmetric map belongs in a
/// <see cref="DelegateMap{T}"/> with both). The code should honour the <see cref="ILinearOperator{T}"/> contract
/// (overwrite y, no allocation, deterministic, NaN propagates rather than throws). Exceptions it throws are not caught:
/// they propagate out of the solver.
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class DelegateOperator<T> : DelegateMap<T>, ILinearOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[]? _diagonal;

    /// <summary>A symmetric operator of the given dimension whose diagonal is unknown.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="apply"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is negative.</exception>
    public DelegateOperator(int dimension, LinearMap<T> apply) : base(dimension, dimension, apply, apply)
    {
    }

    /// <summary>A symmetric operator of the given dimension with a known diagonal, which is copied.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="apply"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="diagonal"/> does not have <paramref name="dimension"/> elements.</exception>
    public DelegateOperator(int dimension, LinearMap<T> apply, ReadOnlySpan<T> diagonal) : this(dimension, apply)
    {
        Guard.RequireLength(diagonal.Length, dimension, nameof(diagonal), "the operator's dimension");
        _diagonal = diagonal.ToArray();
    }

    /// <inheritdoc/>
    public int Dimension => Rows;

    /// <inheritdoc/>
    /// <returns>True when the operator was created with a diagonal.</returns>
    public bool TryCopyDiagonal(Span<T> diagonal)
    {
        Guard.RequireLength(diagonal.Length, Dimension, nameof(diagonal), "the operator's dimension");
        if (_diagonal is null)
        {
            return false;
        }
        _diagonal.CopyTo(diagonal);
        return true;
    }
}
