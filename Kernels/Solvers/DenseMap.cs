using System.Numerics;
using Kernels.Blas;

namespace Kernels.Solvers;

/// <summary>
/// A dense m × n row-major matrix as a linear map: vector products are <see cref="Level2.Gemv{T}"/>, block products
/// <see cref="Level3.Gemm{T}(Transpose, Transpose, T, ReadOnlyMatrixView{T}, ReadOnlyMatrixView{T}, T, MatrixView{T}, BlasOptions?)"/>.
/// </summary>
/// <remarks>
/// The map reads the caller's memory on every call and does not copy it: changing the matrix changes the map. Gemv and
/// Gemm give results bitwise independent of the thread count set in the options.
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public class DenseMap<T> : LinearMapBase<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ReadOnlyMemory<T> _matrix;
    private readonly int _stride;
    private readonly BlasOptions _options;

    /// <summary>Wraps a dense m × n matrix stored without padding (stride n).</summary>
    /// <param name="matrix">The matrix, row-major, at least m·n elements.</param>
    /// <param name="rows">m.</param>
    /// <param name="columns">n.</param>
    /// <param name="options">Threads for Gemv and Gemm; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or an option is out of range.</exception>
    public DenseMap(ReadOnlyMemory<T> matrix, int rows, int columns, BlasOptions? options = null)
        : this(matrix, rows, columns, columns, options)
    {
    }

    /// <summary>Wraps an m × n matrix stored with row stride <paramref name="stride"/>, such as a block of a larger matrix.</summary>
    /// <param name="matrix">The matrix, row-major, at least (m − 1)·stride + n elements.</param>
    /// <param name="rows">m.</param>
    /// <param name="columns">n.</param>
    /// <param name="stride">Distance between the starts of consecutive rows (≥ n).</param>
    /// <param name="options">Threads for Gemv and Gemm; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the stride is below n, or an option is out of range.</exception>
    public DenseMap(ReadOnlyMemory<T> matrix, int rows, int columns, int stride, BlasOptions? options = null)
        : base(rows, columns)
    {
        Guard.RequireMatrix(matrix.Length, rows, columns, stride, nameof(matrix));
        options ??= BlasOptions.Default;
        options.Validate();
        _matrix = matrix;
        _stride = stride;
        _options = options;
    }

    /// <summary>The matrix, read in place.</summary>
    public ReadOnlyMatrixView<T> Matrix => new(_matrix.Span, Rows, Columns, _stride);

    /// <inheritdoc/>
    protected override void ApplyVector(Transpose transpose, T alpha, ReadOnlySpan<T> x, T beta, Span<T> y) =>
        Level2.Gemv(transpose, alpha, Matrix, x, beta, y, _options);

    /// <inheritdoc/>
    protected override void ApplyBlock(Transpose transpose, T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y) =>
        Level3.Gemm(transpose, Transpose.None, alpha, Matrix, x, beta, y, _options);

    internal override bool TryAddSquaredNorms(Transpose transpose, Span<T> diagonal)
    {
        ReadOnlyMatrixView<T> a = Matrix;
        for (int i = 0; i < a.Rows; i++)
        {
            ReadOnlySpan<T> row = a.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                // Column norms accumulate over rows; row norms over a row's own entries.
                diagonal[transpose == Transpose.None ? j : i] += row[j] * row[j];
            }
        }
        return true;
    }
}
