using System.Numerics;
using Kernels.Simd;

namespace Kernels.Blas;

/// <summary>
/// BLAS level 2 on row-major matrices: <see cref="Gemv{T}"/> (y ← alpha·op(A)·x + beta·y) and
/// <see cref="Ger{T}"/> (A ← A + alpha·x·yᵀ).
/// </summary>
/// <remarks>
/// <para>A·x is a fused dot product of four rows at a time against x; Aᵀ·x is a fused axpy of four rows at a time
/// into y. Large calls split the output among threads (rows of y for A·x, columns for Aᵀ·x); each output element
/// is computed in the same order whatever the thread count. Aᵀ·x with at least 2²¹ multiply-adds always sums the two
/// halves of A's rows separately and adds them at the end, so that two threads can each stream whole rows; this
/// rents n elements of scratch from <see cref="System.Buffers.ArrayPool{T}.Shared"/>.</para>
/// <para>When <c>beta</c> is zero, y is overwritten without being read. NaN and infinity in A or x propagate
/// under IEEE arithmetic. Scalars must be finite.</para>
/// </remarks>
public static class Level2
{
    /// <summary>
    /// Computes y ← alpha·op(A)·x + beta·y. For <see cref="Transpose.None"/>, x has A.Columns elements and y has A.Rows;
    /// for <see cref="Transpose.Transposed"/>, the other way round. Aᵀ·x is accumulated as Σᵢ (alpha·x[i])·A[i, :].
    /// </summary>
    /// <exception cref="ArgumentException">A length does not match the shape, or y overlaps A or x.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> or <paramref name="beta"/> is not finite, or an option is out of range.</exception>
    public static void Gemv<T>(Transpose transA, T alpha, ReadOnlyMatrixView<T> a, ReadOnlySpan<T> x, T beta, Span<T> y, BlasOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireDefined(transA, nameof(transA));
        Guard.RequireFinite(alpha, nameof(alpha));
        Guard.RequireFinite(beta, nameof(beta));
        var (rows, cols) = OperandShape.Op(a.Rows, a.Columns, transA);
        Guard.RequireMatrixDimension(x.Length, cols, nameof(x), "column", "op(A)", rows, cols);
        Guard.RequireMatrixDimension(y.Length, rows, nameof(y), "row", "op(A)", rows, cols);
        Guard.RequireDisjoint(a.Data[..(int)Guard.RequiredLength(a.Rows, a.Columns, a.Stride)], nameof(a), y, nameof(y));
        Guard.RequireDisjoint(x, nameof(x), y, nameof(y));
        options ??= BlasOptions.Default;
        options.Validate();
        if (transA == Transpose.None)
        {
            GemvKernels.RowsTimesVector(alpha, a, x, beta, y, options);
        }
        else
        {
            GemvKernels.TransposeTimesVector(alpha, a, x, beta, y, options);
        }
    }

    /// <summary>
    /// Computes the rank-1 update A ← A + alpha·x·yᵀ, with x of A.Rows elements and y of A.Columns; row i receives
    /// the axpy (alpha·x[i])·y.
    /// </summary>
    /// <exception cref="ArgumentException">A length does not match the shape, or A overlaps x or y.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    public static void Ger<T>(T alpha, ReadOnlySpan<T> x, ReadOnlySpan<T> y, MatrixView<T> a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireFinite(alpha, nameof(alpha));
        Guard.RequireMatrixDimension(x.Length, a.Rows, nameof(x), "row", "A", a.Rows, a.Columns);
        Guard.RequireMatrixDimension(y.Length, a.Columns, nameof(y), "column", "A", a.Rows, a.Columns);
        ReadOnlySpan<T> used = a.Data[..(int)Guard.RequiredLength(a.Rows, a.Columns, a.Stride)];
        Guard.RequireDisjoint(x, nameof(x), used, nameof(a));
        Guard.RequireDisjoint(y, nameof(y), used, nameof(a));
        for (int i = 0; i < a.Rows; i++)
        {
            Level1.AxpyAnyAlpha(alpha * x[i], y, a.Row(i));
        }
    }
}
