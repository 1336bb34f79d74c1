using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;
using Kernels.Sparse;

namespace Kernels.Solvers;

/// <summary>
/// A square <see cref="CsrMatrix{T}"/> as a linear operator: a square <see cref="CsrMap{T}"/> that knows its diagonal;
/// <see cref="LinearMapBase{T}.Apply(ReadOnlySpan{T}, Span{T})"/> is <see cref="SparseBlas.SpMV{T}"/>, threaded by rows
/// above the options' threshold and bitwise independent of the thread count.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class CsrOperator<T> : CsrMap<T>, ILinearOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Wraps a square sparse matrix (immutable, so the operator cannot change behind the solver's back).</summary>
    /// <param name="matrix">The n × n matrix.</param>
    /// <param name="options">Threads for SpMV; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is not square.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public CsrOperator(CsrMatrix<T> matrix, BlasOptions? options = null) : base(RequireSquare(matrix), options)
    {
    }

    /// <inheritdoc/>
    public int Dimension => Rows;

    /// <inheritdoc/>
    /// <returns>Always true; a diagonal position without a stored entry is zero.</returns>
    public bool TryCopyDiagonal(Span<T> diagonal)
    {
        Guard.RequireLength(diagonal.Length, Dimension, nameof(diagonal), "the operator's dimension");
        for (int i = 0; i < Dimension; i++)
        {
            int k = Matrix.ColumnIndicesOfRow(i).BinarySearch(i);
            diagonal[i] = k >= 0 ? Matrix.ValuesOfRow(i)[k] : T.Zero;
        }
        return true;
    }

    private static CsrMatrix<T> RequireSquare(CsrMatrix<T> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Rows != matrix.Columns)
        {
            throw new ArgumentException($"matrix is {matrix.Rows}×{matrix.Columns}; a linear operator needs a square matrix.", nameof(matrix));
        }
        return matrix;
    }
}
