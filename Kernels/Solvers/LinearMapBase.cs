using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>
/// The argument checks every <see cref="ILinearMap{T}"/> shares: each public product validates shapes, overlap and
/// scalars, then calls the map's own kernel, which may rely on them. A map need only write the vector kernel
/// (<see cref="ApplyVector"/>); its block products then run column by column
/// (<see cref="LinearMapBlocks.ApplyColumnByColumn{T}"/>) until it overrides <see cref="ApplyBlock"/> with a faster path.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class LinearMapBase<T> : ILinearMap<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Fixes the shape of the map.</summary>
    /// <param name="rows">m, not negative.</param>
    /// <param name="columns">n, not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    protected LinearMapBase(int rows, int columns)
    {
        ElementType.Require<T>();
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        Rows = rows;
        Columns = columns;
    }

    /// <inheritdoc/>
    public int Rows { get; }

    /// <inheritdoc/>
    public int Columns { get; }

    /// <inheritdoc/>
    public void Apply(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y)
    {
        OperatorGuard.RequireProduct(Rows, Columns, Transpose.None, alpha, x, beta, y);
        ApplyVector(Transpose.None, alpha, x, beta, y);
    }

    /// <inheritdoc/>
    public void ApplyTranspose(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y)
    {
        OperatorGuard.RequireProduct(Rows, Columns, Transpose.Transposed, alpha, x, beta, y);
        ApplyVector(Transpose.Transposed, alpha, x, beta, y);
    }

    /// <inheritdoc/>
    public void Apply(T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y)
    {
        OperatorGuard.RequireProduct(Rows, Columns, Transpose.None, alpha, x, beta, y);
        ApplyBlock(Transpose.None, alpha, x, beta, y);
    }

    /// <inheritdoc/>
    public void ApplyTranspose(T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y)
    {
        OperatorGuard.RequireProduct(Rows, Columns, Transpose.Transposed, alpha, x, beta, y);
        ApplyBlock(Transpose.Transposed, alpha, x, beta, y);
    }

    /// <summary>Computes y ← A·x (α = 1, β = 0): the product a square operator hands to a solver.</summary>
    /// <param name="x">The input, <see cref="Columns"/> elements; not modified.</param>
    /// <param name="y">The output, <see cref="Rows"/> elements, not overlapping <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">A length does not match, or y overlaps x.</exception>
    public void Apply(ReadOnlySpan<T> x, Span<T> y) => Apply(T.One, x, T.Zero, y);

    /// <summary>y ← α·op(A)·x + β·y on validated arguments; β = 0 must not read y.</summary>
    /// <param name="transpose">Whether op(A) is A or Aᵀ.</param>
    /// <param name="alpha">α, finite.</param>
    /// <param name="x">The input, of the length op(A) takes.</param>
    /// <param name="beta">β, finite.</param>
    /// <param name="y">The output, of the length op(A) gives, disjoint from x.</param>
    protected abstract void ApplyVector(Transpose transpose, T alpha, ReadOnlySpan<T> x, T beta, Span<T> y);

    /// <summary>
    /// Y ← α·op(A)·X + β·Y on validated arguments; β = 0 must not read Y. By default one vector product per column of X
    /// (<see cref="LinearMapBlocks.ApplyColumnByColumn{T}"/>); override it with a block kernel (a Gemm, an SpMM).
    /// </summary>
    /// <param name="transpose">Whether op(A) is A or Aᵀ.</param>
    /// <param name="alpha">α, finite.</param>
    /// <param name="x">X, with as many rows as op(A) has columns.</param>
    /// <param name="beta">β, finite.</param>
    /// <param name="y">Y, op(A)'s rows × X's columns, sharing no element with X.</param>
    protected virtual void ApplyBlock(Transpose transpose, T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y) =>
        LinearMapBlocks.ApplyColumnByColumn(this, transpose, alpha, x, beta, y);

    /// <summary>
    /// Adds the squared column norms (AᵀA's diagonal, <paramref name="transpose"/> = None) or squared row norms (AAᵀ's
    /// diagonal) of A to <paramref name="diagonal"/> when the map can do it in one pass over stored entries, for
    /// <see cref="GramOperator{T}.TryCopyDiagonal"/>.
    /// </summary>
    /// <returns>False, leaving <paramref name="diagonal"/> unchanged, when the map does not know them cheaply.</returns>
    internal virtual bool TryAddSquaredNorms(Transpose transpose, Span<T> diagonal) => false;
}
