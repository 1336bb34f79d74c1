using System.Buffers;
using System.Numerics;
using Kernels.Blas;

namespace Kernels.Solvers;

/// <summary>
/// Block products for a map that has only vector products: Y ← α·op(A)·X + β·Y one column at a time, each column of X
/// (and of Y when β ≠ 0) copied through contiguous scratch from the array pool. This is what
/// <see cref="LinearMapBase{T}"/> does until a map overrides its block kernel, and what any other
/// <see cref="ILinearMap{T}"/> implementation can call from its block methods.
/// </summary>
public static class LinearMapBlocks
{
    /// <summary>Computes Y ← α·op(A)·X + β·Y through k vector products of <paramref name="map"/>.</summary>
    /// <param name="map">A; its vector products are called with the same α and β.</param>
    /// <param name="transpose">op(A) = A (<see cref="Transpose.None"/>) or Aᵀ.</param>
    /// <param name="alpha">α; finite.</param>
    /// <param name="x">X, op(A)'s columns × k; not modified.</param>
    /// <param name="beta">β; finite. Zero leaves Y unread.</param>
    /// <param name="y">Y, op(A)'s rows × k, sharing no element with X.</param>
    /// <exception cref="ArgumentNullException"><paramref name="map"/> is null.</exception>
    /// <exception cref="ArgumentException">A shape does not match, or Y overlaps X.</exception>
    /// <exception cref="ArgumentOutOfRangeException">α or β is not finite, or <paramref name="transpose"/> is not a defined value.</exception>
    public static void ApplyColumnByColumn<T>(ILinearMap<T> map, Transpose transpose, T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(map);
        if (transpose is not (Transpose.None or Transpose.Transposed))
        {
            throw new ArgumentOutOfRangeException(nameof(transpose), transpose, "transpose must be Transpose.None or Transpose.Transposed.");
        }
        OperatorGuard.RequireProduct(map.Rows, map.Columns, transpose, alpha, x, beta, y);
        int inner = x.Rows, outer = y.Rows;
        if (x.Columns == 0)
        {
            return;
        }
        T[] buffer = ArrayPool<T>.Shared.Rent(inner + outer);
        try
        {
            Span<T> input = buffer.AsSpan(0, inner), output = buffer.AsSpan(inner, outer);
            for (int c = 0; c < x.Columns; c++)
            {
                for (int r = 0; r < inner; r++)
                {
                    input[r] = x[r, c];
                }
                if (beta != T.Zero)
                {
                    for (int r = 0; r < outer; r++)
                    {
                        output[r] = y[r, c];
                    }
                }
                map.Apply(transpose, alpha, input, beta, output);
                for (int r = 0; r < outer; r++)
                {
                    y[r, c] = output[r];
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }
}
