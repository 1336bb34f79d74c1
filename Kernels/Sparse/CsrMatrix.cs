using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Sparse;

/// <summary>
/// An immutable sparse matrix in compressed sparse row (CSR) form: the stored entries of row <c>r</c> are
/// <c>ColumnIndices[k]</c>, <c>Values[k]</c> for <c>RowPointers[r] ≤ k &lt; RowPointers[r + 1]</c>, with column
/// indices strictly increasing within each row. Every other entry is an implicit zero.
/// </summary>
/// <remarks>
/// <para>The constructor copies its arguments and checks every invariant, so a <see cref="CsrMatrix{T}"/> that exists
/// is valid and no caller can change it afterwards; the kernels rely on this and do not re-check the structure.</para>
/// <para>Stored values must be finite. A NaN or infinity in a parameter or data matrix is almost always an upstream
/// bug, and with only finite entries every product is finite whenever its dense operand is; a non-finite value is
/// rejected where it enters (constructor, <see cref="FromDense"/>, <see cref="FromTriplets"/>).</para>
/// <para>Explicitly stored zeros are allowed and kept; they take part in products like any other entry
/// (so a stored zero times an infinite <c>x[j]</c> gives NaN, where an implicit zero contributes nothing).</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed partial class CsrMatrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _rowPointers;
    private readonly int[] _columnIndices;
    private readonly T[] _values;

    /// <summary>Creates a matrix from CSR arrays, which are copied after every invariant has been checked.</summary>
    /// <param name="rows">Number of rows (≥ 0).</param>
    /// <param name="cols">Number of columns (≥ 0).</param>
    /// <param name="rowPointers"><paramref name="rows"/> + 1 offsets into the entry arrays: starting at 0, non-decreasing, ending at the entry count.</param>
    /// <param name="columnIndices">Column of each stored entry, in [0, <paramref name="cols"/>) and strictly increasing within each row.</param>
    /// <param name="values">Value of each stored entry; as many as <paramref name="columnIndices"/>, all finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> or <paramref name="cols"/> is negative.</exception>
    /// <exception cref="ArgumentException">An invariant fails; the message names the argument and the first offending position.</exception>
    public CsrMatrix(int rows, int cols, ReadOnlySpan<int> rowPointers, ReadOnlySpan<int> columnIndices, ReadOnlySpan<T> values)
    {
        ElementType.Require<T>();
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        ValidateRowPointers(rows, rowPointers, columnIndices.Length);
        Guard.RequireLength(values.Length, columnIndices.Length, nameof(values), "one value per column index");
        ValidateColumns(rows, cols, rowPointers, columnIndices);
        ValidateFinite(rowPointers, columnIndices, values);
        Rows = rows;
        Columns = cols;
        _rowPointers = rowPointers.ToArray();
        _columnIndices = columnIndices.ToArray();
        _values = values.ToArray();
    }

    /// <summary>Takes ownership of arrays that the caller has built valid (the factories of this type).</summary>
    private CsrMatrix(int rows, int cols, int[] rowPointers, int[] columnIndices, T[] values)
    {
        Rows = rows;
        Columns = cols;
        _rowPointers = rowPointers;
        _columnIndices = columnIndices;
        _values = values;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Number of stored entries, explicit zeros included.</summary>
    public int NonZeroCount => _values.Length;

    /// <summary>The <see cref="Rows"/> + 1 row offsets: row <c>r</c> occupies entries [RowPointers[r], RowPointers[r + 1]).</summary>
    public ReadOnlySpan<int> RowPointers => _rowPointers;

    /// <summary>The column of every stored entry, row after row, ascending within a row.</summary>
    public ReadOnlySpan<int> ColumnIndices => _columnIndices;

    /// <summary>The value of every stored entry, in the order of <see cref="ColumnIndices"/>.</summary>
    public ReadOnlySpan<T> Values => _values;

    /// <summary>The columns of the entries stored in <paramref name="row"/>, ascending.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in [0, <see cref="Rows"/>).</exception>
    public ReadOnlySpan<int> ColumnIndicesOfRow(int row)
    {
        var (start, length) = RowRange(row);
        return _columnIndices.AsSpan(start, length);
    }

    /// <summary>The values of the entries stored in <paramref name="row"/>, matching <see cref="ColumnIndicesOfRow"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in [0, <see cref="Rows"/>).</exception>
    public ReadOnlySpan<T> ValuesOfRow(int row)
    {
        var (start, length) = RowRange(row);
        return _values.AsSpan(start, length);
    }

    /// <summary>
    /// Stores every entry of <paramref name="dense"/> that is not exactly zero (both +0 and −0 are dropped).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dense"/> holds a NaN or infinity; the message gives its position.</exception>
    public static CsrMatrix<T> FromDense(ReadOnlyMatrixView<T> dense)
    {
        ElementType.Require<T>();
        int count = 0;
        for (int r = 0; r < dense.Rows; r++)
        {
            ReadOnlySpan<T> row = dense.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                if (!T.IsFinite(row[c]))
                {
                    throw new ArgumentException($"dense[{r}, {c}] is {row[c]}; a sparse matrix stores finite values only.", nameof(dense));
                }
                if (row[c] != T.Zero)
                {
                    count++;
                }
            }
        }

        var rowPointers = new int[dense.Rows + 1];
        var columnIndices = new int[count];
        var values = new T[count];
        int k = 0;
        for (int r = 0; r < dense.Rows; r++)
        {
            ReadOnlySpan<T> row = dense.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                if (row[c] != T.Zero)
                {
                    columnIndices[k] = c;
                    values[k] = row[c];
                    k++;
                }
            }
            rowPointers[r + 1] = k;
        }
        return new CsrMatrix<T>(dense.Rows, dense.Columns, rowPointers, columnIndices, values);
    }

    /// <summary>Writes the matrix, implicit zeros included (as +0), to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not <see cref="Rows"/> × <see cref="Columns"/>.</exception>
    public void ToDense(MatrixView<T> destination)
    {
        if (destination.Rows != Rows || destination.Columns != Columns)
        {
            throw new ArgumentException(
                $"destination is {destination.Rows}×{destination.Columns}; expected {Rows}×{Columns}.", nameof(destination));
        }
        for (int r = 0; r < Rows; r++)
        {
            Span<T> row = destination.Row(r);
            row.Clear();
            for (int k = _rowPointers[r]; k < _rowPointers[r + 1]; k++)
            {
                row[_columnIndices[k]] = _values[k];
            }
        }
    }

    /// <summary>Returns the matrix as a new row-major array of <see cref="Rows"/>·<see cref="Columns"/> elements.</summary>
    /// <exception cref="InvalidOperationException">The dense matrix would exceed the largest array length.</exception>
    public T[] ToDense()
    {
        long length = (long)Rows * Columns;
        if (length > Array.MaxLength)
        {
            throw new InvalidOperationException($"A dense {Rows}×{Columns} matrix has {length} elements, more than an array can hold.");
        }
        var dense = new T[length];
        ToDense(new MatrixView<T>(dense, Rows, Columns));
        return dense;
    }

    private (int Start, int Length) RowRange(int row)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in [0, {Rows}).");
        }
        return (_rowPointers[row], _rowPointers[row + 1] - _rowPointers[row]);
    }

    private static void ValidateRowPointers(int rows, ReadOnlySpan<int> rowPointers, int entryCount)
    {
        const string name = "rowPointers";
        Guard.RequireLength(rowPointers.Length, rows + 1, name, "rows + 1 offsets");
        if (rowPointers[0] != 0)
        {
            throw new ArgumentException($"rowPointers[0] is {rowPointers[0]}; expected 0.", name);
        }
        for (int r = 0; r < rows; r++)
        {
            if (rowPointers[r + 1] < rowPointers[r])
            {
                throw new ArgumentException(
                    $"rowPointers decreases at row {r}: rowPointers[{r}] = {rowPointers[r]} > rowPointers[{r + 1}] = {rowPointers[r + 1]}; expected non-decreasing offsets.",
                    name);
            }
        }
        if (rowPointers[rows] != entryCount)
        {
            throw new ArgumentException(
                $"rowPointers[{rows}] is {rowPointers[rows]}; expected the entry count {entryCount} (the length of columnIndices).", name);
        }
    }

    private static void ValidateColumns(int rows, int cols, ReadOnlySpan<int> rowPointers, ReadOnlySpan<int> columnIndices)
    {
        const string name = "columnIndices";
        for (int r = 0; r < rows; r++)
        {
            int previous = -1;
            for (int k = rowPointers[r]; k < rowPointers[r + 1]; k++)
            {
                int c = columnIndices[k];
                if ((uint)c >= (uint)cols)
                {
                    throw new ArgumentException($"columnIndices[{k}] (row {r}) is {c}; expected a column in [0, {cols}).", name);
                }
                if (c <= previous)
                {
                    throw new ArgumentException(
                        $"columnIndices[{k}] (row {r}) is {c}, not greater than the previous column {previous}; columns must be strictly increasing within a row (sorted, no duplicates).",
                        name);
                }
                previous = c;
            }
        }
    }

    private static void ValidateFinite(ReadOnlySpan<int> rowPointers, ReadOnlySpan<int> columnIndices, ReadOnlySpan<T> values)
    {
        for (int k = 0; k < values.Length; k++)
        {
            if (!T.IsFinite(values[k]))
            {
                int row = RowOfEntry(rowPointers, k);
                throw new ArgumentException(
                    $"values[{k}] (row {row}, column {columnIndices[k]}) is {values[k]}; a sparse matrix stores finite values only.",
                    nameof(values));
            }
        }
    }

    /// <summary>The row whose range holds entry <paramref name="k"/> (rowPointers[r] ≤ k &lt; rowPointers[r + 1]), for error messages.</summary>
    private static int RowOfEntry(ReadOnlySpan<int> rowPointers, int k)
    {
        int r = 0;
        while (rowPointers[r + 1] <= k)
        {
            r++;
        }
        return r;
    }
}
