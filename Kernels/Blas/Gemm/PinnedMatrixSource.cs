namespace Kernels.Blas;

/// <summary>
/// A dense row-major operand behind a pointer, optionally used transposed, for
/// <see cref="Level3.Gemm{T, TA, TB}(T, TA, TB, T, MatrixView{T}, BlasOptions?)"/>. It is how a span-based matrix
/// meets a virtual one (another <see cref="IPanelSource{T}"/>) in one product: pin the span with <c>fixed</c>, wrap
/// the pointer, and multiply inside the <c>fixed</c> block. <see cref="DenseMatrixSource{T}"/> is the safe choice
/// when the data is an array or <see cref="Memory{T}"/>.
/// </summary>
/// <remarks>The caller keeps the memory pinned and alive for as long as the source is used; the constructor checks
/// that <c>length</c> elements hold the shape, but cannot check that the pointer really addresses them.</remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public readonly unsafe struct PinnedMatrixSource<T> : IPanelSource<T> where T : unmanaged
{
    private readonly T* _origin;
    private readonly nint _rowStride;
    private readonly nint _columnStride;

    /// <summary>
    /// Wraps a stored <paramref name="storedRows"/> × <paramref name="storedColumns"/> row-major matrix with row
    /// stride <paramref name="stride"/> at <paramref name="origin"/>; the logical matrix is it, or its transpose
    /// when <paramref name="transpose"/> says so.
    /// </summary>
    /// <param name="origin">Address of element (0, 0); pinned by the caller.</param>
    /// <param name="length">Elements available from <paramref name="origin"/> (the pinned span's length).</param>
    /// <param name="storedRows">Rows as stored.</param>
    /// <param name="storedColumns">Columns as stored.</param>
    /// <param name="stride">Distance in elements between the starts of consecutive stored rows.</param>
    /// <param name="transpose">Whether the logical matrix is the stored one or its transpose.</param>
    /// <exception cref="ArgumentNullException"><paramref name="origin"/> is null and the shape is not empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the stride is below the column count, or
    /// <paramref name="transpose"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="length"/> is too short for the shape.</exception>
    public PinnedMatrixSource(T* origin, int length, int storedRows, int storedColumns, int stride, Transpose transpose = Transpose.None)
    {
        Guard.RequireMatrix(length, storedRows, storedColumns, stride, nameof(length));
        Guard.RequireDefined(transpose, nameof(transpose));
        if (origin == null && Guard.RequiredLength(storedRows, storedColumns, stride) > 0)
        {
            throw new ArgumentNullException(nameof(origin), "origin is null but the matrix has elements.");
        }
        _origin = origin;
        (Rows, Columns) = OperandShape.Op(storedRows, storedColumns, transpose);
        (_rowStride, _columnStride) = transpose == Transpose.None ? ((nint)stride, (nint)1) : (1, stride);
    }

    /// <inheritdoc/>
    public int Rows { get; }

    /// <inheritdoc/>
    public int Columns { get; }

    /// <inheritdoc/>
    public void PackRowPanels(int row, int rowCount, int column, int columnCount, int panelRows, Span<T> destination) =>
        DensePacking.PackRowPanels(in *_origin, _rowStride, _columnStride, row, rowCount, column, columnCount, panelRows, destination);

    /// <inheritdoc/>
    public void PackColumnPanels(int row, int rowCount, int column, int columnCount, int panelColumns, Span<T> destination) =>
        DensePacking.PackColumnPanels(in *_origin, _rowStride, _columnStride, row, rowCount, column, columnCount, panelColumns, destination);
}
