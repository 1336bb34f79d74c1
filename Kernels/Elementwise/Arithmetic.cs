using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Elementwise;

/// <summary>
/// Element-wise arithmetic of training passes, for <see cref="float"/> and <see cref="double"/>: the Hadamard product
/// <see cref="Hadamard{T}"/>, the row-broadcast bias add <see cref="AddRowBias{T}"/> and the bias gradient
/// <see cref="ColumnSums{T}"/>. Each is one pass of the <see cref="BinaryDriver"/>, so it is vectorized on every width.
/// </summary>
/// <remarks>
/// IEEE arithmetic throughout: NaN and infinity propagate (except that <see cref="ColumnSums{T}"/> with beta = 0 never
/// reads the destination). Every result is computed in an order fixed by the shapes alone, so it is the same bits on
/// every run; nothing here is threaded, so the thread count cannot change it.
/// </remarks>
public static class Arithmetic
{
    /// <summary>Writes the Hadamard product x[i]·y[i] to destination[i].</summary>
    /// <remarks>The destination may be x or y itself (in place); a partial overlap throws.</remarks>
    /// <exception cref="ArgumentException">x and y differ in length, <paramref name="destination"/> is shorter than them, or it partly overlaps one.</exception>
    public static void Hadamard<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        BinaryDriver.Run(x, y, destination, default(MultiplyOperator<T>));
    }

    /// <summary>Adds <paramref name="bias"/> to every row of <paramref name="matrix"/>: matrix[r, c] += bias[c], the bias of a layer over a batch.</summary>
    /// <exception cref="ArgumentException"><paramref name="bias"/> does not have one element per column, or shares memory with the matrix.</exception>
    public static void AddRowBias<T>(MatrixView<T> matrix, ReadOnlySpan<T> bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireMatrixDimension(bias.Length, matrix.Columns, nameof(bias), "column", "matrix", matrix.Rows, matrix.Columns);
        Guard.RequireDisjoint(Used(matrix.AsReadOnly()), nameof(matrix), bias, nameof(bias));
        for (int r = 0; r < matrix.Rows; r++)
        {
            Span<T> row = matrix.Row(r);
            BinaryDriver.Run(row, bias, row, default(AddOperator<T>));
        }
    }

    /// <summary>
    /// destination[c] ← beta·destination[c] + Σ_r matrix[r, c]: the column sums of a matrix, such as the bias gradient
    /// Σ over a batch of the rows of dY, accumulated into a gradient with beta = 1 or overwriting it with beta = 0.
    /// </summary>
    /// <remarks>
    /// The destination is first scaled by beta (with beta = 0 it is overwritten, never read, as in BLAS), then the rows are
    /// added in row order, so each column is summed in the same order on every vector width and every run.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have one element per column, or shares memory with the matrix.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not finite.</exception>
    public static void ColumnSums<T>(ReadOnlyMatrixView<T> matrix, Span<T> destination, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireMatrixDimension(destination.Length, matrix.Columns, nameof(destination), "column", "matrix", matrix.Rows, matrix.Columns);
        Guard.RequireFinite(beta, nameof(beta));
        Guard.RequireDisjoint(Used(matrix), nameof(matrix), destination, nameof(destination));
        if (beta == T.Zero)
        {
            destination.Clear();
        }
        else if (beta != T.One)
        {
            Level1.Scale(beta, destination);
        }
        for (int r = 0; r < matrix.Rows; r++)
        {
            BinaryDriver.Run(destination, matrix.Row(r), destination, default(AddOperator<T>));
        }
    }

    /// <summary>The elements a view spans, from (0, 0) to its last element.</summary>
    private static ReadOnlySpan<T> Used<T>(ReadOnlyMatrixView<T> m) =>
        m.Data[..(int)Guard.RequiredLength(m.Rows, m.Columns, m.Stride)];
}
