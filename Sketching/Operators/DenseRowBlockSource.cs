using Kernels.Blas;

namespace Kernels.Sketching.Operators;

/// <summary>
/// A dense row-major matrix held in memory, seen as an <see cref="IRowBlockSource{T}"/>: the simplest source, and the
/// reference the implicit paths are tested against.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public readonly struct DenseRowBlockSource<T> : IRowBlockSource<T>
{
    private readonly ReadOnlyMemory<T> _data;
    private readonly int _stride;

    /// <summary>Wraps a row-major <paramref name="rows"/> × <paramref name="columns"/> matrix with the given row stride.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or the stride is below the column count.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> is too short for the shape.</exception>
    public DenseRowBlockSource(ReadOnlyMemory<T> data, int rows, int columns, int stride)
    {
        _ = new ReadOnlyMatrixView<T>(data.Span, rows, columns, stride);
        _data = data;
        _stride = stride;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>A dense matrix whose stride equals its column count.</summary>
    public DenseRowBlockSource(ReadOnlyMemory<T> data, int rows, int columns) : this(data, rows, columns, columns)
    {
    }

    /// <inheritdoc/>
    public int Rows { get; }

    /// <inheritdoc/>
    public int Columns { get; }

    /// <inheritdoc/>
    public void WriteRows(int firstRow, MatrixView<T> destination)
    {
        var all = new ReadOnlyMatrixView<T>(_data.Span, Rows, Columns, _stride);
        ReadOnlyMatrixView<T> block = all.Slice(firstRow, 0, destination.Rows, Columns);
        for (int r = 0; r < block.Rows; r++)
        {
            block.Row(r).CopyTo(destination.Row(r));
        }
    }
}
