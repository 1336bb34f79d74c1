using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Sparse;

/// <summary>
/// Products of a <see cref="CsrMatrix{T}"/> with dense operands: <see cref="SpMV{T}"/> (y ← alpha·A·x + beta·y),
/// <see cref="SpMVTranspose{T}"/> (y ← alpha·Aᵀ·x + beta·y) and <see cref="SpMM{T}"/> (C ← alpha·A·B + beta·C).
/// </summary>
/// <remarks>
/// <para>Only stored entries are multiplied. A NaN or infinity in x (or in a row of B) therefore reaches an output
/// element only through a stored entry in its column; a dense product would spread it further, since 0·NaN is NaN.
/// Stored values are finite by construction of <see cref="CsrMatrix{T}"/>.</para>
/// <para>When <c>beta</c> is zero, the output is overwritten without being read (NaN or garbage in it does not
/// propagate), as in reference BLAS. <c>alpha</c> and <c>beta</c> must be finite.</para>
/// <para>Every output element is accumulated in an order fixed by the matrix structure and the vector width, so
/// results are bitwise repeatable run to run. Outputs must not share memory with x or B.</para>
/// </remarks>
public static class SparseBlas
{
    /// <summary>
    /// Computes y ← alpha·A·x + beta·y, where x has A.Columns elements and y has A.Rows. Each row is a sparse dot
    /// product over its stored entries; rows of 16 entries or more read x through hardware gathers where available,
    /// shorter rows (stencils, graphs) with a scalar loop, which is faster for them.
    /// </summary>
    /// <remarks>
    /// Matrices with at least <see cref="BlasOptions.ParallelThreshold"/> stored entries are split into contiguous row
    /// ranges of about equal entry counts, a few per thread, which the threads take as they become free (so that a
    /// thread slowed by a busy neighbour does not hold the others up). Every row is computed by the same code in the
    /// same order whichever thread runs it, so y is bitwise independent of the thread count. Nothing is allocated,
    /// threaded or not.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException">A length does not match the shape of A, or y shares memory with x.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> or <paramref name="beta"/> is not finite, or an option is out of range.</exception>
    public static unsafe void SpMV<T>(T alpha, CsrMatrix<T> a, ReadOnlySpan<T> x, T beta, Span<T> y, BlasOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckScalars(a, alpha, beta);
        Guard.RequireMatrixDimension(x.Length, a.Columns, nameof(x), "column", "A", a.Rows, a.Columns);
        Guard.RequireMatrixDimension(y.Length, a.Rows, nameof(y), "row", "A", a.Rows, a.Columns);
        Guard.RequireDisjoint(x, nameof(x), y, nameof(y));
        options ??= BlasOptions.Default;
        options.Validate();

        int threads = options.ThreadsFor(a.NonZeroCount, a.Rows);
        fixed (T* px = x)
        fixed (T* py = y)
        {
            if (threads == 1)
            {
                SpMVRows(alpha, a, px, beta, py, 0, a.Rows);
            }
            else
            {
                SpMVThreaded(alpha, a, px, beta, py, threads);
            }
        }
    }

    /// <summary>Row ranges per thread in threaded SpMV: enough for the threads to even out a slow one, few enough to keep the scheduling cheap.</summary>
    private const int RangesPerThread = 4;

    /// <summary>
    /// Range c holds the rows from the first row holding entry c·nnz/ranges up to the next range's first row, so every
    /// range has about the same number of entries.
    /// </summary>
    private static unsafe void SpMVThreaded<T>(T alpha, CsrMatrix<T> a, T* x, T beta, T* y, int threads)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ParallelParts.Run(new SpMVRanges<T>(alpha, a, x, beta, y, threads * RangesPerThread), threads * RangesPerThread, threads);

    private readonly unsafe struct SpMVRanges<T>(T alpha, CsrMatrix<T> a, T* x, T beta, T* y, int ranges) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            int start = FirstRowFrom(a.RowPointers, (long)part * a.NonZeroCount / ranges);
            int end = part == ranges - 1 ? a.Rows : FirstRowFrom(a.RowPointers, (long)(part + 1) * a.NonZeroCount / ranges);
            SpMVRows(alpha, a, x, beta, y, start, end);
        }
    }

    /// <summary>The first row r with rowPointers[r] ≥ entry (rows before it end at or before that entry).</summary>
    private static int FirstRowFrom(ReadOnlySpan<int> rowPointers, long entry)
    {
        int low = 0, high = rowPointers.Length - 1;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (rowPointers[middle] < entry)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /// <summary>Rows [start, end) of y ← alpha·A·x + beta·y.</summary>
    private static unsafe void SpMVRows<T>(T alpha, CsrMatrix<T> a, T* x, T beta, T* y, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<int> rowPointers = a.RowPointers;
        ref int columns = ref MemoryMarshal.GetReference(a.ColumnIndices);
        ref T values = ref MemoryMarshal.GetReference(a.Values);
        for (int r = start; r < end; r++)
        {
            int first = rowPointers[r];
            nuint count = (nuint)(rowPointers[r + 1] - first);
            T dot = SparseDot.Run(x, ref Unsafe.Add(ref values, first), ref Unsafe.Add(ref columns, first), count);
            y[r] = beta == T.Zero ? alpha * dot : VectorMath.MultiplyAdd(alpha, dot, beta * y[r]);
        }
    }

    /// <summary>
    /// Computes y ← alpha·Aᵀ·x + beta·y, where x has A.Rows elements and y has A.Columns, without forming Aᵀ:
    /// after y ← beta·y, row i of A is scattered into y with weight alpha·x[i], rows in ascending order.
    /// </summary>
    /// <remarks>The weight alpha·x[i] is rounded once before it multiplies the row (as in <see cref="Level2.Gemv{T}"/>);
    /// with alpha = 1 that rounding is exact.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException">A length does not match the shape of A, or y shares memory with x.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> or <paramref name="beta"/> is not finite.</exception>
    public static void SpMVTranspose<T>(T alpha, CsrMatrix<T> a, ReadOnlySpan<T> x, T beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckScalars(a, alpha, beta);
        Guard.RequireMatrixDimension(x.Length, a.Rows, nameof(x), "row", "A", a.Rows, a.Columns);
        Guard.RequireMatrixDimension(y.Length, a.Columns, nameof(y), "column", "A", a.Rows, a.Columns);
        Guard.RequireDisjoint(x, nameof(x), y, nameof(y));

        ScaleOutput(beta, y);
        ReadOnlySpan<int> rowPointers = a.RowPointers;
        ref int columns = ref MemoryMarshal.GetReference(a.ColumnIndices);
        ref T values = ref MemoryMarshal.GetReference(a.Values);
        ref T ys = ref MemoryMarshal.GetReference(y);
        for (int r = 0; r < x.Length; r++)
        {
            int start = rowPointers[r];
            nuint count = (nuint)(rowPointers[r + 1] - start);
            GatherScatter.ScatterAddValidated(alpha * x[r], ref Unsafe.Add(ref values, start), ref Unsafe.Add(ref columns, start), ref ys, count);
        }
    }

    /// <summary>
    /// Computes C ← alpha·A·B + beta·C for dense row-major B (A.Columns × n) and C (A.Rows × n). Row i of C is scaled
    /// by beta, then receives one vectorized axpy (alpha·A[i, j])·B[j, :] per stored entry, in column order.
    /// </summary>
    /// <remarks>The coefficient alpha·A[i, j] is rounded once before it multiplies the row of B; with alpha = 1 that
    /// rounding is exact.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not agree, or C shares an element with B.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> or <paramref name="beta"/> is not finite.</exception>
    public static void SpMM<T>(T alpha, CsrMatrix<T> a, ReadOnlyMatrixView<T> b, T beta, MatrixView<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckScalars(a, alpha, beta);
        if (b.Rows != a.Columns)
        {
            throw new ArgumentException($"B is {b.Rows}×{b.Columns}; expected {a.Columns} rows to match the {a.Rows}×{a.Columns} A.", nameof(b));
        }
        if (c.Rows != a.Rows || c.Columns != b.Columns)
        {
            throw new ArgumentException($"C is {c.Rows}×{c.Columns}; expected {a.Rows}×{b.Columns} (rows of A × columns of B).", nameof(c));
        }
        Guard.RequireDisjoint<T>(b, nameof(b), c, nameof(c));
        if (c.Columns == 0)
        {
            // Nothing to compute, and a view without columns may have a stride that its (empty) data cannot honour.
            return;
        }

        for (int r = 0; r < a.Rows; r++)
        {
            Span<T> row = c.Row(r);
            ScaleOutput(beta, row);
            ReadOnlySpan<int> columns = a.ColumnIndicesOfRow(r);
            ReadOnlySpan<T> values = a.ValuesOfRow(r);
            for (int k = 0; k < columns.Length; k++)
            {
                Level1.AxpyAnyAlpha(alpha * values[k], b.Row(columns[k]), row);
            }
        }
    }

    private static void CheckScalars<T>(CsrMatrix<T> a, T alpha, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(a);
        Guard.RequireFinite(alpha, nameof(alpha));
        Guard.RequireFinite(beta, nameof(beta));
    }

    /// <summary>y ← beta·y, except that beta = 0 clears y without reading it and beta = 1 leaves it as it is.</summary>
    private static void ScaleOutput<T>(T beta, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (beta == T.Zero)
        {
            y.Clear();
        }
        else if (beta != T.One)
        {
            Level1.Scale(beta, y);
        }
    }
}
