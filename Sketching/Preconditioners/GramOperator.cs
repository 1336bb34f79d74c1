using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;
using Kernels.Sketching.Operators;
using Kernels.Solvers;
using Kernels.Sparse;

namespace Kernels.Sketching.Preconditioners;

/// <summary>
/// The Gram operator y = AᵀA·x of a tall N × n matrix A, applied matrix-free as Aᵀ(A·x): the normal equations
/// AᵀA·x = Aᵀb of least squares, and the Gauss–Newton system J·Jᵀ·g = f − y with A = Jᵀ (J·Jᵀ = AᵀA). A may be dense,
/// sparse (CSR) or implicit (an <see cref="IRowBlockSource{T}"/> such as Jᵀ, which writes any block of rows on request).
/// </summary>
/// <remarks>
/// <para><b>Costs.</b> Dense: two <see cref="Level2.Gemv{T}"/> (4·N·n flops). CSR: <see cref="SparseBlas.SpMV{T}"/> and
/// <see cref="SparseBlas.SpMVTranspose{T}"/> (4·nnz flops). Implicit: every application asks the source for all N rows,
/// <see cref="BlockRows"/> at a time, and accumulates y += A_bᵀ(A_b·x) block by block, so A is never held whole.</para>
/// <para>Results are bitwise reproducible: the products are deterministic for any thread count and the blocks of an
/// implicit A are visited in the same order on every call. Forming AᵀA·x squares the condition number of A; with a
/// <see cref="SketchQrPreconditioner{T}"/> conjugate gradient needs a number of iterations independent of it.</para>
/// <para>The operator keeps an N-element (or block-sized) work vector, so one instance must not be applied from two
/// threads at once. It reads the caller's A on every call and does not copy it.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class GramOperator<T> : ILinearOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements of the block an implicit A is asked to fill per request (256 KiB of doubles).</summary>
    private const int BlockElements = 1 << 15;

    private readonly ReadOnlyMemory<T> _dense;
    private readonly int _stride;
    private readonly CsrMatrix<T>? _sparse;
    private readonly IRowBlockSource<T>? _source;
    private readonly T[] _product;
    private readonly T[] _block;
    private readonly BlasOptions _options;

    private GramOperator(int rows, int columns, ReadOnlyMemory<T> dense, int stride, CsrMatrix<T>? sparse, IRowBlockSource<T>? source, BlasOptions? options)
    {
        ElementType.Require<T>();
        options ??= BlasOptions.Default;
        options.Validate();
        Rows = rows;
        Dimension = columns;
        _dense = dense;
        _stride = stride;
        _sparse = sparse;
        _source = source;
        _options = options;
        BlockRows = source is null ? rows : Math.Clamp(BlockElements / Math.Max(columns, 1), 1, Math.Max(rows, 1));
        _product = new T[source is null ? rows : BlockRows];
        _block = source is null ? [] : new T[(long)BlockRows * columns];
    }

    /// <summary>AᵀA for a dense row-major N × n matrix with row stride <paramref name="stride"/>.</summary>
    /// <param name="a">The matrix, at least (N − 1)·stride + n elements; read on every call, not copied.</param>
    /// <param name="rows">N.</param>
    /// <param name="columns">n, the dimension of the operator.</param>
    /// <param name="stride">Distance between the starts of consecutive rows (≥ n).</param>
    /// <param name="options">Threads for Gemv; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the stride is below n, or an option is out of range.</exception>
    public static GramOperator<T> FromDense(ReadOnlyMemory<T> a, int rows, int columns, int stride, BlasOptions? options = null)
    {
        Guard.RequireMatrix(a.Length, rows, columns, stride, nameof(a));
        return new GramOperator<T>(rows, columns, a, stride, null, null, options);
    }

    /// <summary>AᵀA for a dense row-major N × n matrix stored without padding (stride n).</summary>
    /// <exception cref="ArgumentException"><paramref name="a"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or an option is out of range.</exception>
    public static GramOperator<T> FromDense(ReadOnlyMemory<T> a, int rows, int columns, BlasOptions? options = null) =>
        FromDense(a, rows, columns, columns, options);

    /// <summary>AᵀA for a sparse N × n matrix (immutable, so the operator cannot change behind the solver's back).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static GramOperator<T> FromCsr(CsrMatrix<T> a, BlasOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new GramOperator<T>(a.Rows, a.Columns, default, 0, a, null, options);
    }

    /// <summary>
    /// AᵀA for an implicit N × n matrix whose rows the source writes on request, such as Jᵀ for the Gauss–Newton
    /// system J·Jᵀ·g = f − y (then this operator is J·Jᵀ). The source is kept (boxed once, if it is a struct) and asked
    /// for every row on every application.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension of the source is negative, or an option is out of range.</exception>
    public static GramOperator<T> FromRowBlocks<TSource>(TSource a, BlasOptions? options = null) where TSource : IRowBlockSource<T>
    {
        if (a is null)
        {
            throw new ArgumentNullException(nameof(a));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(a.Rows, nameof(a));
        ArgumentOutOfRangeException.ThrowIfNegative(a.Columns, nameof(a));
        return new GramOperator<T>(a.Rows, a.Columns, default, 0, null, a, options);
    }

    /// <summary>N: the rows of A.</summary>
    public int Rows { get; }

    /// <summary>n: the columns of A, the dimension of AᵀA.</summary>
    public int Dimension { get; }

    /// <summary>Rows of an implicit A requested per block (N for dense and sparse A).</summary>
    public int BlockRows { get; }

    /// <inheritdoc/>
    public void Apply(ReadOnlySpan<T> x, Span<T> y)
    {
        Guard.RequireLength(x.Length, Dimension, nameof(x), "the operator's dimension");
        Guard.RequireLength(y.Length, Dimension, nameof(y), "the operator's dimension");
        Guard.RequireDisjoint<T>(x, nameof(x), y, nameof(y));
        if (_sparse is not null)
        {
            SparseBlas.SpMV(T.One, _sparse, x, T.Zero, _product, _options);
            SparseBlas.SpMVTranspose(T.One, _sparse, _product, T.Zero, y);
        }
        else if (_source is not null)
        {
            y.Clear();
            for (int first = 0; first < Rows; first += BlockRows)
            {
                int count = Math.Min(BlockRows, Rows - first);
                var block = new MatrixView<T>(_block, count, Dimension);
                _source.WriteRows(first, block);
                Span<T> product = _product.AsSpan(0, count);
                Level2.Gemv(Transpose.None, T.One, block, x, T.Zero, product, _options);
                Level2.Gemv(Transpose.Transposed, T.One, block, product, T.One, y, _options);
            }
        }
        else
        {
            var a = new ReadOnlyMatrixView<T>(_dense.Span, Rows, Dimension, _stride);
            Level2.Gemv(Transpose.None, T.One, a, x, T.Zero, _product, _options);
            Level2.Gemv(Transpose.Transposed, T.One, a, _product, T.Zero, y, _options);
        }
    }

    /// <inheritdoc/>
    /// <returns>Always true: the diagonal of AᵀA holds the squared column norms of A, accumulated row by row (one pass over A).</returns>
    public bool TryCopyDiagonal(Span<T> diagonal)
    {
        Guard.RequireLength(diagonal.Length, Dimension, nameof(diagonal), "the operator's dimension");
        diagonal.Clear();
        if (_sparse is not null)
        {
            for (int i = 0; i < Rows; i++)
            {
                ReadOnlySpan<int> columns = _sparse.ColumnIndicesOfRow(i);
                ReadOnlySpan<T> values = _sparse.ValuesOfRow(i);
                for (int k = 0; k < columns.Length; k++)
                {
                    diagonal[columns[k]] += values[k] * values[k];
                }
            }
        }
        else if (_source is not null)
        {
            for (int first = 0; first < Rows; first += BlockRows)
            {
                var block = new MatrixView<T>(_block, Math.Min(BlockRows, Rows - first), Dimension);
                _source.WriteRows(first, block);
                AddSquares(block, diagonal);
            }
        }
        else
        {
            AddSquares(new ReadOnlyMatrixView<T>(_dense.Span, Rows, Dimension, _stride), diagonal);
        }
        return true;
    }

    private static void AddSquares(ReadOnlyMatrixView<T> rows, Span<T> diagonal)
    {
        for (int i = 0; i < rows.Rows; i++)
        {
            ReadOnlySpan<T> row = rows.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                diagonal[j] += row[j] * row[j];
            }
        }
    }
}
