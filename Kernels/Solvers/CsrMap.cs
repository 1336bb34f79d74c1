using System.Numerics;
using Kernels.Blas;
using Kernels.Sparse;

namespace Kernels.Solvers;

/// <summary>
/// A <see cref="CsrMatrix{T}"/> as a linear map: A·x is <see cref="SparseBlas.SpMV{T}"/> (threaded by rows above the
/// options' threshold, bitwise independent of the thread count), Aᵀ·x is <see cref="SparseBlas.SpMVTranspose{T}"/>,
/// A·X is <see cref="SparseBlas.SpMM{T}"/>, and Aᵀ·X scatters one scaled row of X per stored entry, in row order.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public class CsrMap<T> : LinearMapBase<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BlasOptions _options;

    /// <summary>Wraps a sparse matrix (immutable, so the map cannot change behind its user's back).</summary>
    /// <param name="matrix">The m × n matrix.</param>
    /// <param name="options">Threads for SpMV; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public CsrMap(CsrMatrix<T> matrix, BlasOptions? options = null)
        : base(matrix?.Rows ?? throw new ArgumentNullException(nameof(matrix)), matrix!.Columns)
    {
        options ??= BlasOptions.Default;
        options.Validate();
        Matrix = matrix;
        _options = options;
    }

    /// <summary>The matrix.</summary>
    public CsrMatrix<T> Matrix { get; }

    /// <inheritdoc/>
    protected override void ApplyVector(Transpose transpose, T alpha, ReadOnlySpan<T> x, T beta, Span<T> y)
    {
        if (transpose == Transpose.None)
        {
            SparseBlas.SpMV(alpha, Matrix, x, beta, y, _options);
        }
        else
        {
            SparseBlas.SpMVTranspose(alpha, Matrix, x, beta, y);
        }
    }

    /// <inheritdoc/>
    protected override void ApplyBlock(Transpose transpose, T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y)
    {
        if (transpose == Transpose.None)
        {
            SparseBlas.SpMM(alpha, Matrix, x, beta, y);
            return;
        }
        // Yᵀ's rows are A's columns: Y[j, :] += α·A[i, j]·X[i, :] for every stored (i, j), rows i ascending.
        for (int j = 0; j < y.Rows; j++)
        {
            if (beta == T.Zero)
            {
                y.Row(j).Clear();
            }
            else
            {
                Level1.Scale(beta, y.Row(j));
            }
        }
        for (int i = 0; i < Matrix.Rows; i++)
        {
            ReadOnlySpan<int> columns = Matrix.ColumnIndicesOfRow(i);
            ReadOnlySpan<T> values = Matrix.ValuesOfRow(i);
            for (int k = 0; k < columns.Length; k++)
            {
                Level1.Axpy(alpha * values[k], x.Row(i), y.Row(columns[k]));
            }
        }
    }

    internal override bool TryAddSquaredNorms(Transpose transpose, Span<T> diagonal)
    {
        for (int i = 0; i < Matrix.Rows; i++)
        {
            ReadOnlySpan<int> columns = Matrix.ColumnIndicesOfRow(i);
            ReadOnlySpan<T> values = Matrix.ValuesOfRow(i);
            for (int k = 0; k < columns.Length; k++)
            {
                diagonal[transpose == Transpose.None ? columns[k] : i] += values[k] * values[k];
            }
        }
        return true;
    }
}
