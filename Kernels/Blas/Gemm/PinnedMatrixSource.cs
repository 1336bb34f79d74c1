namespace Kernels.Blas;

/// <summary>
/// A dense operand behind a pointer that the caller keeps pinned for the whole Gemm call: the span-based
/// public entry points pin their views and multiply through this source.
/// </summary>
internal readonly unsafe struct PinnedMatrixSource<T> : IPanelSource<T> where T : unmanaged
{
    private readonly T* _origin;
    private readonly nint _rowStride;
    private readonly nint _columnStride;

    public PinnedMatrixSource(T* origin, int storedRows, int storedCols, int stride, Transpose transpose)
    {
        _origin = origin;
        (Rows, Columns) = MatrixShape.Op(storedRows, storedCols, transpose);
        (_rowStride, _columnStride) = transpose == Transpose.None ? ((nint)stride, (nint)1) : (1, stride);
    }

    public int Rows { get; }

    public int Columns { get; }

    public void PackRowPanels(int row, int rowCount, int column, int columnCount, int panelRows, Span<T> destination) =>
        DensePacking.PackRowPanels(in *_origin, _rowStride, _columnStride, row, rowCount, column, columnCount, panelRows, destination);

    public void PackColumnPanels(int row, int rowCount, int column, int columnCount, int panelColumns, Span<T> destination) =>
        DensePacking.PackColumnPanels(in *_origin, _rowStride, _columnStride, row, rowCount, column, columnCount, panelColumns, destination);
}
