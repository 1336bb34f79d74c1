namespace Kernels.Blas;

/// <summary>Shape checks shared by the matrix views and the level-2/3 kernels.</summary>
internal static class MatrixShape
{
    /// <summary>Elements a row-major matrix of this shape spans: <c>(rows − 1)·stride + cols</c>, or 0 when empty.</summary>
    public static long RequiredLength(int rows, int cols, int stride) =>
        rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * stride + cols;

    public static void Validate(int length, int rows, int cols, int stride, string dataName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if (stride < cols || stride < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"stride must be at least the column count {cols}.");
        }
        long required = RequiredLength(rows, cols, stride);
        if (length < required)
        {
            throw new ArgumentException(
                $"{dataName} has length {length}; a {rows}×{cols} matrix with stride {stride} needs at least {required}.", dataName);
        }
    }

    public static void CheckIndex(int row, int col, int rows, int cols)
    {
        if ((uint)row >= (uint)rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in [0, {rows}).");
        }
        if ((uint)col >= (uint)cols)
        {
            throw new ArgumentOutOfRangeException(nameof(col), col, $"col must be in [0, {cols}).");
        }
    }

    public static void CheckBlock(int row, int col, int rows, int cols, int totalRows, int totalCols)
    {
        if (row < 0 || rows < 0 || (long)row + rows > totalRows)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"rows [{row}, {(long)row + rows}) must lie in [0, {totalRows}].");
        }
        if (col < 0 || cols < 0 || (long)col + cols > totalCols)
        {
            throw new ArgumentOutOfRangeException(nameof(cols), $"columns [{col}, {(long)col + cols}) must lie in [0, {totalCols}].");
        }
    }

    /// <summary>Rows and columns of op(A) for a stored <paramref name="rows"/> × <paramref name="cols"/> matrix.</summary>
    public static (int Rows, int Columns) Op(int rows, int cols, Transpose transpose) =>
        transpose == Transpose.None ? (rows, cols) : (cols, rows);
}
