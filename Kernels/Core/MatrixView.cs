using System.Runtime.CompilerServices;

namespace Kernels.Core;

/// <summary>
/// A writable row-major matrix over a span: element (r, c) is <c>Data[r·Stride + c]</c>.
/// The stride may exceed the column count, so a view can address a block of a larger matrix.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public readonly ref struct MatrixView<T>
{
    /// <summary>The elements, starting at (0, 0). Its length is at least <c>(Rows − 1)·Stride + Columns</c>.</summary>
    public Span<T> Data { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Distance in elements between the starts of consecutive rows (≥ <see cref="Columns"/>).</summary>
    public int Stride { get; }

    /// <summary>A dense view: the stride equals the column count.</summary>
    /// <exception cref="ArgumentException">The span is too short, or a dimension is negative.</exception>
    public MatrixView(Span<T> data, int rows, int columns) : this(data, rows, columns, columns)
    {
    }

    /// <summary>A view with an explicit row stride.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or <paramref name="stride"/> &lt; <paramref name="columns"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> is shorter than <c>(rows − 1)·stride + columns</c>.</exception>
    public MatrixView(Span<T> data, int rows, int columns, int stride)
    {
        Guard.RequireMatrix(data.Length, rows, columns, stride, nameof(data));
        Data = data;
        Rows = rows;
        Columns = columns;
        Stride = stride;
    }

    /// <summary>Element (<paramref name="row"/>, <paramref name="column"/>), range-checked.</summary>
    public ref T this[int row, int column]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            Guard.RequireMatrixIndex(row, column, Rows, Columns);
            return ref Data[row * Stride + column];
        }
    }

    /// <summary>Row <paramref name="row"/> as a span of <see cref="Columns"/> elements.</summary>
    public Span<T> Row(int row)
    {
        Guard.RequireMatrixIndex(row, 0, Rows, Math.Max(Columns, 1));
        return Columns == 0 ? default : Data.Slice(row * Stride, Columns);
    }

    /// <summary>The block of <paramref name="rows"/> × <paramref name="columns"/> starting at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The block does not lie inside this view.</exception>
    public MatrixView<T> Slice(int row, int column, int rows, int columns)
    {
        Guard.RequireMatrixBlock(row, column, rows, columns, Rows, Columns);
        int start = rows == 0 || columns == 0 ? 0 : row * Stride + column;
        return new MatrixView<T>(Data[start..], rows, columns, Stride);
    }

    /// <summary>A read-only view of the same elements.</summary>
    public ReadOnlyMatrixView<T> AsReadOnly() => new(Data, Rows, Columns, Stride);

    /// <summary>Converts to a read-only view of the same elements.</summary>
    public static implicit operator ReadOnlyMatrixView<T>(MatrixView<T> view) => view.AsReadOnly();
}
