using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>A dense n × n row-major matrix as a linear operator: a square <see cref="DenseMap{T}"/> that knows its diagonal.</summary>
/// <remarks>
/// The operator reads the caller's memory on every call and does not copy it: changing the matrix changes the operator.
/// Gemv's result is bitwise independent of the thread count set in the options.
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class DenseOperator<T> : DenseMap<T>, ILinearOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Wraps a dense n × n matrix (stride n).</summary>
    /// <param name="matrix">The matrix, row-major, at least n² elements.</param>
    /// <param name="dimension">n.</param>
    /// <param name="options">Threads for Gemv; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is negative, or an option is out of range.</exception>
    public DenseOperator(ReadOnlyMemory<T> matrix, int dimension, BlasOptions? options = null)
        : this(matrix, dimension, dimension, options)
    {
    }

    /// <summary>Wraps an n × n matrix stored with row stride <paramref name="stride"/>, such as a block of a larger matrix.</summary>
    /// <param name="matrix">The matrix, row-major, at least (n − 1)·stride + n elements.</param>
    /// <param name="dimension">n.</param>
    /// <param name="stride">Distance between the starts of consecutive rows (≥ n).</param>
    /// <param name="options">Threads for Gemv; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the stride is below n, or an option is out of range.</exception>
    public DenseOperator(ReadOnlyMemory<T> matrix, int dimension, int stride, BlasOptions? options = null)
        : base(matrix, dimension, dimension, stride, options)
    {
    }

    /// <inheritdoc/>
    public int Dimension => Rows;

    /// <inheritdoc/>
    /// <returns>Always true: a dense matrix knows its diagonal.</returns>
    public bool TryCopyDiagonal(Span<T> diagonal)
    {
        Guard.RequireLength(diagonal.Length, Dimension, nameof(diagonal), "the operator's dimension");
        ReadOnlyMatrixView<T> matrix = Matrix;
        for (int i = 0; i < Dimension; i++)
        {
            diagonal[i] = matrix[i, i];
        }
        return true;
    }
}
