namespace Kernels.Blas;

/// <summary>
/// A logical <see cref="Rows"/> × <see cref="Columns"/> matrix that Gemm reads only through packing: it copies
/// blocks into the micro-panel layouts of the microkernel. A dense matrix is one implementation
/// (<see cref="DenseMatrixSource{T}"/>); a virtual matrix whose entries are computed on the fly (HashedNets'
/// <c>ξ(i,j)·w[h(i,j)]</c>) is another, and is multiplied without ever being materialized.
/// </summary>
/// <remarks>
/// Gemm may call both methods from several threads at once, on different blocks; implementations must allow
/// concurrent reads. Indices are always in range: Gemm checks the shapes before it packs.
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IPanelSource<T> where T : unmanaged
{
    /// <summary>Number of rows of the logical matrix M.</summary>
    int Rows { get; }

    /// <summary>Number of columns of the logical matrix M.</summary>
    int Columns { get; }

    /// <summary>
    /// Packs the block <c>M[row .. row+rowCount, column .. column+columnCount]</c> into panels of
    /// <paramref name="panelRows"/> rows (the left-operand layout). Panel <c>p</c> starts at
    /// <c>p·panelRows·columnCount</c>; within it, M[row + p·panelRows + r, column + c] goes to <c>c·panelRows + r</c>.
    /// Rows past <paramref name="rowCount"/> in the last panel are written as zeros.
    /// </summary>
    void PackRowPanels(int row, int rowCount, int column, int columnCount, int panelRows, Span<T> destination);

    /// <summary>
    /// Packs the block <c>M[row .. row+rowCount, column .. column+columnCount]</c> into panels of
    /// <paramref name="panelColumns"/> columns (the right-operand layout). Panel <c>p</c> starts at
    /// <c>p·panelColumns·rowCount</c>; within it, M[row + r, column + p·panelColumns + c] goes to <c>r·panelColumns + c</c>.
    /// Columns past <paramref name="columnCount"/> in the last panel are written as zeros.
    /// </summary>
    void PackColumnPanels(int row, int rowCount, int column, int columnCount, int panelColumns, Span<T> destination);
}
