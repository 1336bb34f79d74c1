using System.Runtime.InteropServices;

namespace Kernels.Blas;

/// <summary>
/// A dense row-major matrix in memory, optionally used transposed, as a Gemm operand. It holds a
/// <see cref="ReadOnlyMemory{T}"/>, so it is safe to pack from several threads and to combine with any other
/// <see cref="IPanelSource{T}"/> in <see cref="Level3.Gemm{T, TA, TB}(T, TA, TB, T, MatrixView{T}, BlasOptions?)"/>.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public readonly struct DenseMatrixSource<T> : IPanelSource<T> where T : unmanaged
{
    private readonly ReadOnlyMemory<T> _data;
    private readonly nint _rowStride;
    private readonly nint _columnStride;

    /// <summary>
    /// Wraps a stored <paramref name="storedRows"/> × <paramref name="storedCols"/> row-major matrix with row
    /// stride <paramref name="stride"/>; the logical matrix is it, or its transpose when
    /// <paramref name="transpose"/> says so.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or the stride is below the column count.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> is too short for the shape.</exception>
    public DenseMatrixSource(ReadOnlyMemory<T> data, int storedRows, int storedCols, int stride, Transpose transpose = Transpose.None)
    {
        Guard.RequireDefined(transpose, nameof(transpose));
        Guard.RequireMatrix(data.Length, storedRows, storedCols, stride, nameof(data));
        _data = data;
        (Rows, Columns) = OperandShape.Op(storedRows, storedCols, transpose);
        (_rowStride, _columnStride) = transpose == Transpose.None ? ((nint)stride, (nint)1) : (1, stride);
    }

    /// <summary>A dense matrix whose stride equals its column count.</summary>
    public DenseMatrixSource(ReadOnlyMemory<T> data, int storedRows, int storedCols, Transpose transpose = Transpose.None)
        : this(data, storedRows, storedCols, storedCols, transpose)
    {
    }

    /// <inheritdoc/>
    public int Rows { get; }

    /// <inheritdoc/>
    public int Columns { get; }

    /// <inheritdoc/>
    public void PackRowPanels(int row, int rowCount, int column, int columnCount, int panelRows, Span<T> destination) =>
        DensePacking.PackRowPanels(in MemoryMarshal.GetReference(_data.Span), _rowStride, _columnStride,
            row, rowCount, column, columnCount, panelRows, destination);

    /// <inheritdoc/>
    public void PackColumnPanels(int row, int rowCount, int column, int columnCount, int panelColumns, Span<T> destination) =>
        DensePacking.PackColumnPanels(in MemoryMarshal.GetReference(_data.Span), _rowStride, _columnStride,
            row, rowCount, column, columnCount, panelColumns, destination);
}
