namespace Kernels.Blas;

/// <summary>
/// Packing of a dense matrix addressed as <c>M[r, c] = origin[r·rowStride + c·columnStride]</c>, which covers both
/// a row-major matrix (column stride 1) and its transpose (row stride 1) without copying; one of the two strides is
/// always 1. The source is always read along its unit stride: where that stride runs along the panel rows the copy is a
/// plain memory copy, and where it runs across the panel lanes it is a <see cref="BlockTranspose"/> in registers.
/// </summary>
internal static unsafe class DensePacking
{
    public static void PackRowPanels<T>(ref readonly T origin, nint rowStride, nint columnStride,
        int row, int rowCount, int column, int columnCount, int panelRows, Span<T> destination) where T : unmanaged
    {
        int panels = (rowCount + panelRows - 1) / panelRows;
        if (destination.Length < (long)panels * panelRows * columnCount)
        {
            throw new ArgumentException("The pack buffer is too small for the block.", nameof(destination));
        }
        fixed (T* o = &origin)
        fixed (T* dst = destination)
        {
            for (int p = 0; p < panels; p++)
            {
                int r0 = row + p * panelRows;
                int rows = Math.Min(panelRows, row + rowCount - r0);
                T* panel = dst + (nint)p * panelRows * columnCount;
                T* block = o + r0 * rowStride + column * columnStride;
                if (rows < panelRows)
                {
                    new Span<T>(panel, panelRows * columnCount).Clear();
                }
                if (rowStride == 1)
                {
                    // A panel column is a contiguous run of the source.
                    for (int c = 0; c < columnCount; c++)
                    {
                        Buffer.MemoryCopy(block + c * columnStride, panel + c * panelRows, (long)rows * sizeof(T), (long)rows * sizeof(T));
                    }
                }
                else
                {
                    // The column stride is 1: each source row, read in order, becomes one lane of the panel.
                    BlockTranspose.Copy(block, rowStride, rows, columnCount, panel, panelRows);
                }
            }
        }
    }

    public static void PackColumnPanels<T>(ref readonly T origin, nint rowStride, nint columnStride,
        int row, int rowCount, int column, int columnCount, int panelColumns, Span<T> destination) where T : unmanaged
    {
        int panels = (columnCount + panelColumns - 1) / panelColumns;
        if (destination.Length < (long)panels * panelColumns * rowCount)
        {
            throw new ArgumentException("The pack buffer is too small for the block.", nameof(destination));
        }
        fixed (T* o = &origin)
        fixed (T* dst = destination)
        {
            for (int p = 0; p < panels; p++)
            {
                int c0 = column + p * panelColumns;
                int cols = Math.Min(panelColumns, column + columnCount - c0);
                T* panel = dst + (nint)p * panelColumns * rowCount;
                T* block = o + row * rowStride + c0 * columnStride;
                if (cols < panelColumns)
                {
                    new Span<T>(panel, panelColumns * rowCount).Clear();
                }
                if (columnStride == 1)
                {
                    // A panel row is a contiguous run of the source.
                    for (int r = 0; r < rowCount; r++)
                    {
                        Buffer.MemoryCopy(block + r * rowStride, panel + r * panelColumns, (long)cols * sizeof(T), (long)cols * sizeof(T));
                    }
                }
                else
                {
                    // The row stride is 1: each source column, read in order, becomes one lane of the panel.
                    BlockTranspose.Copy(block, columnStride, cols, rowCount, panel, panelColumns);
                }
            }
        }
    }
}
