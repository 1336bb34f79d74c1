using System.Runtime.CompilerServices;

namespace Kernels.Blas;

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
    public MatrixView(Span<T> data, int rows, int cols) : this(data, rows, cols, cols)
    {
    }

    /// <summary>A view with an explicit row stride.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or <paramref name="stride"/> &lt; <paramref name="cols"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> is shorter than <c>(rows − 1)·stride + cols</c>.</exception>
    public MatrixView(Span<T> data, int rows, int cols, int stride)
    {
        MatrixShape.Validate(data.Length, rows, cols, stride, nameof(data));
        Data = data;
        Rows = rows;
        Columns = cols;
        Stride = stride;
    }

    /// <summary>Element (<paramref name="row"/>, <paramref name="col"/>), range-checked.</summary>
    public ref T this[int row, int col]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            MatrixShape.CheckIndex(row, col, Rows, Columns);
            return ref Data[row * Stride + col];
        }
    }

    /// <summary>Row <paramref name="row"/> as a span of <see cref="Columns"/> elements.</summary>
    public Span<T> Row(int row)
    {
        MatrixShape.CheckIndex(row, 0, Rows, Math.Max(Columns, 1));
        return Columns == 0 ? default : Data.Slice(row * Stride, Columns);
    }

    /// <summary>The block of <paramref name="rows"/> × <paramref name="cols"/> starting at (<paramref name="row"/>, <paramref name="col"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The block does not lie inside this view.</exception>
    public MatrixView<T> Slice(int row, int col, int rows, int cols)
    {
        MatrixShape.CheckBlock(row, col, rows, cols, Rows, Columns);
        int start = rows == 0 || cols == 0 ? 0 : row * Stride + col;
        return new MatrixView<T>(Data[start..], rows, cols, Stride);
    }

    /// <summary>A read-only view of the same elements.</summary>
    public ReadOnlyMatrixView<T> AsReadOnly() => new(Data, Rows, Columns, Stride);

    /// <summary>Converts to a read-only view of the same elements.</summary>
    public static implicit operator ReadOnlyMatrixView<T>(MatrixView<T> view) => view.AsReadOnly();
}
