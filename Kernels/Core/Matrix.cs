using System.Numerics;

namespace Kernels.Core;

/// <summary>
/// An owning dense matrix: <see cref="Rows"/> × <see cref="Columns"/> elements stored contiguously in row-major order
/// (the row stride equals the column count). A model keeps its weights in one; kernels take its
/// <see cref="View"/> or <see cref="ReadOnlyView"/>.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Matrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _data;

    /// <summary>A <paramref name="rows"/> × <paramref name="columns"/> matrix of zeros.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or rows·columns exceeds the largest array (<see cref="Array.MaxLength"/>).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither <see cref="float"/> nor <see cref="double"/>.</exception>
    public Matrix(int rows, int columns)
    {
        ElementType.Require<T>();
        Guard.RequireAtLeast(rows, 0, nameof(rows));
        Guard.RequireAtLeast(columns, 0, nameof(columns));
        long length = (long)rows * columns;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns,
                $"A {rows}×{columns} matrix has {length} elements; an array holds at most {Array.MaxLength}.");
        }
        _data = new T[length];
        Rows = rows;
        Columns = columns;
    }

    /// <summary>A copy of <paramref name="source"/>, whatever its stride, stored contiguously.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither <see cref="float"/> nor <see cref="double"/>.</exception>
    public Matrix(ReadOnlyMatrixView<T> source) : this(source.Rows, source.Columns)
    {
        for (int r = 0; r < Rows; r++)
        {
            source.Row(r).CopyTo(Row(r));
        }
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns, which is also the row stride.</summary>
    public int Columns { get; }

    /// <summary>A writable view of all elements (stride = <see cref="Columns"/>).</summary>
    public MatrixView<T> View => new(_data, Rows, Columns);

    /// <summary>A read-only view of all elements (stride = <see cref="Columns"/>).</summary>
    public ReadOnlyMatrixView<T> ReadOnlyView => new(_data, Rows, Columns);

    /// <summary>Element (<paramref name="row"/>, <paramref name="column"/>), range-checked.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position lies outside the matrix.</exception>
    public ref T this[int row, int column]
    {
        get
        {
            Guard.RequireMatrixIndex(row, column, Rows, Columns);
            return ref _data[row * Columns + column];
        }
    }

    /// <summary>Row <paramref name="row"/> as a span of <see cref="Columns"/> elements.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in [0, <see cref="Rows"/>).</exception>
    public Span<T> Row(int row)
    {
        Guard.RequireIndex(row, Rows, nameof(row), "row");
        return _data.AsSpan(row * Columns, Columns);
    }

    /// <summary>All Rows·Columns elements, row after row.</summary>
    public Span<T> AsSpan() => _data;

    /// <summary>All elements as memory, for operands that outlive a stack frame, e.g.
    /// <see cref="Kernels.Blas.DenseMatrixSource{T}"/>.</summary>
    public Memory<T> AsMemory() => _data;
}
