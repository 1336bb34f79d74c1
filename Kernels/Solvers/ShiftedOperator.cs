using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>
/// The operator A + λ·I for an inner operator A and a shift λ: the regularized systems of kernel ridge regression
/// (K + λI)·α = y and damped Gauss-Newton steps. Apply costs one inner Apply and one axpy.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ShiftedOperator<T> : ILinearOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILinearOperator<T> _inner;

    /// <summary>Wraps <paramref name="inner"/> (not copied) with the shift <paramref name="shift"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shift"/> is not finite.</exception>
    public ShiftedOperator(ILinearOperator<T> inner, T shift)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Guard.RequireFinite(shift, nameof(shift));
        _inner = inner;
        Shift = shift;
    }

    /// <summary>λ, the multiple of the identity added to the inner operator.</summary>
    public T Shift { get; }

    /// <inheritdoc/>
    public int Dimension => _inner.Dimension;

    /// <inheritdoc/>
    public void Apply(ReadOnlySpan<T> x, Span<T> y)
    {
        OperatorGuard.RequireVectors(Dimension, x, nameof(x), y, nameof(y));
        _inner.Apply(x, y);
        Level1.Axpy(Shift, x, y);
    }

    /// <inheritdoc/>
    /// <returns>True when the inner operator knows its diagonal; λ is then added to it.</returns>
    public bool TryCopyDiagonal(Span<T> diagonal)
    {
        if (!_inner.TryCopyDiagonal(diagonal))
        {
            return false;
        }
        for (int i = 0; i < diagonal.Length; i++)
        {
            diagonal[i] += Shift;
        }
        return true;
    }
}
