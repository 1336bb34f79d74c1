using System.Buffers;
using System.Numerics;
using Kernels.Blas;

namespace Kernels.Solvers;

/// <summary>
/// A linear map given as code: two <see cref="LinearMap{T}"/> products, y ← A·x and y ← Aᵀ·x, for maps that are never
/// formed (a Jacobian through automatic differentiation, a kernel matrix evaluated on the fly). α and β are applied
/// around the code: with α = 1 and β = 0 it writes straight into y, otherwise into pooled scratch that is then scaled
/// into y. Block products run column by column.
/// </summary>
/// <remarks>
/// The code should honour the <see cref="ILinearMap{T}"/> contract (overwrite y, no allocation, deterministic, NaN
/// propagates rather than throws). Exceptions it throws are not caught: they propagate to the caller.
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public class DelegateMap<T> : LinearMapBase<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly LinearMap<T> _apply;
    private readonly LinearMap<T> _applyTranspose;

    /// <summary>An m × n map with the given products.</summary>
    /// <param name="rows">m.</param>
    /// <param name="columns">n.</param>
    /// <param name="apply">y ← A·x, x of n elements and y of m.</param>
    /// <param name="applyTranspose">y ← Aᵀ·x, x of m elements and y of n.</param>
    /// <exception cref="ArgumentNullException">A product is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public DelegateMap(int rows, int columns, LinearMap<T> apply, LinearMap<T> applyTranspose) : base(rows, columns)
    {
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(applyTranspose);
        _apply = apply;
        _applyTranspose = applyTranspose;
    }

    /// <inheritdoc/>
    protected override void ApplyVector(Transpose transpose, T alpha, ReadOnlySpan<T> x, T beta, Span<T> y)
    {
        LinearMap<T> product = transpose == Transpose.None ? _apply : _applyTranspose;
        if (alpha == T.One && beta == T.Zero)
        {
            product(x, y);
            return;
        }
        T[] buffer = ArrayPool<T>.Shared.Rent(y.Length);
        try
        {
            Span<T> t = buffer.AsSpan(0, y.Length);
            product(x, t);
            if (beta == T.Zero)
            {
                Level1.Scale(alpha, t, y);
            }
            else
            {
                Level1.Scale(beta, y);
                Level1.Axpy(alpha, t, y);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }
}
