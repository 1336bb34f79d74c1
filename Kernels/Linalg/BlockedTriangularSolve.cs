using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Linalg;

/// <summary>
/// The triangular solve with many right-hand sides behind <see cref="TriangularSolve"/>, after the recursive
/// formulation of Elmroth, Gustavson, Jonsson and Kågström ("Recursive blocked algorithms and hybrid data
/// structures", SIAM Review 2004): the triangle is halved, the two diagonal halves are solved recursively and the
/// coupling block is one Gemm. Nearly all the work is therefore Gemm; only diagonal blocks of at most
/// <see cref="BaseOrder"/> are solved by substitution.
/// </summary>
/// <remarks>
/// <para>The substitution works on rows of B, which are contiguous: with the triangle on the left, row j of X is
/// row j of B minus a combination of earlier rows, one <see cref="Level2.Gemv{T}"/> of the solved rows; with the
/// triangle on the right, the rows of B are the right-hand sides, so blocks of <see cref="ChunkRows"/> rows are
/// transposed into scratch, solved there as a left-side problem and transposed back.</para>
/// <para>Every step runs in a fixed order and the Gemm calls are bitwise independent of the thread count, so the
/// result is too.</para>
/// </remarks>
internal static class BlockedTriangularSolve
{
    /// <summary>Diagonal blocks up to this order are solved by substitution; larger ones are split.</summary>
    public const int BaseOrder = 64;

    /// <summary>Rows of B transposed at a time by the right-side substitution.</summary>
    private const int ChunkRows = 256;

    /// <summary>Elements of scratch that <see cref="Solve{T}"/> needs: a transposed chunk and one column of the triangle.</summary>
    public const int ScratchLength = BaseOrder * ChunkRows + BaseOrder;

    /// <summary>
    /// Solves in place: B ← op(T)⁻¹·B (<see cref="Side.Left"/>) or B ← B·op(T)⁻¹ (<see cref="Side.Right"/>).
    /// The caller has validated the shapes and passes <see cref="ScratchLength"/> elements of scratch.
    /// </summary>
    public static void Solve<T>(Side side, Triangle triangle, Transpose transpose, Diagonal diagonal,
        ReadOnlyMatrixView<T> t, MatrixView<T> b, Span<T> scratch, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = t.Rows;
        if (k == 0 || b.Rows == 0 || b.Columns == 0)
        {
            return;
        }
        if (k <= BaseOrder)
        {
            if (side == Side.Left)
            {
                SubstituteLeft(triangle, transpose, diagonal, t, b, scratch);
            }
            else
            {
                SubstituteRight(triangle, transpose, diagonal, t, b, scratch, options);
            }
            return;
        }

        int k1 = Split(k), k2 = k - k1;
        ReadOnlyMatrixView<T> t11 = t.Slice(0, 0, k1, k1), t22 = t.Slice(k1, k1, k2, k2);
        // The coupling block of op(T) lies in T's stored triangle: below the diagonal for Lower, above for Upper,
        // and it is used with T's own transpose flag.
        ReadOnlyMatrixView<T> coupling = triangle == Triangle.Lower ? t.Slice(k1, 0, k2, k1) : t.Slice(0, k1, k1, k2);
        bool opIsLower = (triangle == Triangle.Lower) == (transpose == Transpose.None);
        T minusOne = -T.One;

        if (side == Side.Left)
        {
            MatrixView<T> b1 = b.Slice(0, 0, k1, b.Columns), b2 = b.Slice(k1, 0, k2, b.Columns);
            if (opIsLower)
            {
                Solve(side, triangle, transpose, diagonal, t11, b1, scratch, options);
                Level3.Gemm(transpose, Transpose.None, minusOne, coupling, b1, T.One, b2, options);
                Solve(side, triangle, transpose, diagonal, t22, b2, scratch, options);
            }
            else
            {
                Solve(side, triangle, transpose, diagonal, t22, b2, scratch, options);
                Level3.Gemm(transpose, Transpose.None, minusOne, coupling, b2, T.One, b1, options);
                Solve(side, triangle, transpose, diagonal, t11, b1, scratch, options);
            }
        }
        else
        {
            MatrixView<T> b1 = b.Slice(0, 0, b.Rows, k1), b2 = b.Slice(0, k1, b.Rows, k2);
            if (opIsLower)
            {
                // X·op(T) = B with op(T) lower: the last columns of X depend only on the last block.
                Solve(side, triangle, transpose, diagonal, t22, b2, scratch, options);
                Level3.Gemm(Transpose.None, transpose, minusOne, b2, coupling, T.One, b1, options);
                Solve(side, triangle, transpose, diagonal, t11, b1, scratch, options);
            }
            else
            {
                Solve(side, triangle, transpose, diagonal, t11, b1, scratch, options);
                Level3.Gemm(Transpose.None, transpose, minusOne, b1, coupling, T.One, b2, options);
                Solve(side, triangle, transpose, diagonal, t22, b2, scratch, options);
            }
        }
    }

    /// <summary>Splits an order above <see cref="BaseOrder"/> near its middle, at a multiple of 16 so that most Gemm tiles are whole.</summary>
    public static int Split(int order) => Math.Max(16, (order / 2 + 8) / 16 * 16);

    /// <summary>
    /// op(T)·X = B for an order up to <see cref="BaseOrder"/>, row by row: row j of X is (row j of B − Σ op(T)[j, p]·row p
    /// of X over the already solved p) / op(T)[j, j], the sum being one Gemv over the solved rows.
    /// </summary>
    private static void SubstituteLeft<T>(Triangle triangle, Transpose transpose, Diagonal diagonal,
        ReadOnlyMatrixView<T> t, MatrixView<T> b, Span<T> scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = t.Rows, n = b.Columns;
        bool opIsLower = (triangle == Triangle.Lower) == (transpose == Transpose.None);
        Span<T> column = scratch[..k];
        for (int step = 0; step < k; step++)
        {
            int j = opIsLower ? step : k - 1 - step;
            // The solved rows are [0, j) going forward and (j, k) going backward.
            int first = opIsLower ? 0 : j + 1;
            int count = opIsLower ? j : k - 1 - j;
            if (count > 0)
            {
                ReadOnlySpan<T> coefficients;
                if (transpose == Transpose.None)
                {
                    coefficients = t.Row(j).Slice(first, count);
                }
                else
                {
                    // op(T)[j, p] = T[p, j]: a column of T, gathered once.
                    for (int p = 0; p < count; p++)
                    {
                        column[p] = t[first + p, j];
                    }
                    coefficients = column[..count];
                }
                Level2.Gemv(Transpose.Transposed, -T.One, b.Slice(first, 0, count, n), coefficients, T.One, b.Row(j), BlasOptions.SingleThreaded);
            }
            if (diagonal == Diagonal.NonUnit)
            {
                Span<T> row = b.Row(j);
                UnaryDriver.Run(row, row, new DivideOperator<T>(t[j, j]));
            }
        }
    }

    /// <summary>
    /// X·op(T) = B for an order up to <see cref="BaseOrder"/>: equivalently op(T)ᵀ·Xᵀ = Bᵀ, so each block of rows of
    /// B is transposed into scratch, solved on the left with the transpose flag flipped, and transposed back.
    /// </summary>
    /// <remarks>
    /// The chunks are independent, so when <paramref name="options"/> allows threads and there is more than one chunk,
    /// the chunks are split among threads (<see cref="ChunkParts{T}"/>, each with scratch rented from the pool); every
    /// chunk is solved by the same operations either way. In a large Cholesky factorization this substitution is the
    /// only part of the panel solve outside Gemm (about 64/k of its flops for a triangle of order k), and one thread
    /// would leave the other core idle while it runs.
    /// </remarks>
    private static unsafe void SubstituteRight<T>(Triangle triangle, Transpose transpose, Diagonal diagonal,
        ReadOnlyMatrixView<T> t, MatrixView<T> b, Span<T> scratch, BlasOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = t.Rows, chunks = (b.Rows + ChunkRows - 1) / ChunkRows;
        int threads = options.ThreadsFor((long)b.Rows * k * k / 2, chunks);
        if (threads == 1)
        {
            SubstituteChunks(triangle, transpose, diagonal, t, b, 0, b.Rows, scratch);
            return;
        }
        fixed (T* pt = t.Data)
        fixed (T* pb = b.Data)
        {
            ParallelParts.Run(new ChunkParts<T>(triangle, transpose, diagonal, (nint)pt, t.Stride, k, (nint)pb, b.Stride, b.Rows, chunks, threads), threads);
        }
    }

    /// <summary>Solves rows [<paramref name="first"/>, <paramref name="end"/>) of X·op(T) = B, <see cref="ChunkRows"/> rows at a time.</summary>
    private static void SubstituteChunks<T>(Triangle triangle, Transpose transpose, Diagonal diagonal,
        ReadOnlyMatrixView<T> t, MatrixView<T> b, int first, int end, Span<T> scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = t.Rows;
        Transpose flipped = transpose == Transpose.None ? Transpose.Transposed : Transpose.None;
        Span<T> columnScratch = scratch[(BaseOrder * ChunkRows)..];
        for (int r0 = first; r0 < end; r0 += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, end - r0);
            MatrixView<T> chunk = b.Slice(r0, 0, rows, k);
            var transposed = new MatrixView<T>(scratch[..(k * rows)], k, rows);
            MatrixTranspose.Copy(chunk, transposed);
            SubstituteLeft(triangle, flipped, diagonal, t, transposed, columnScratch);
            MatrixTranspose.Copy(transposed, chunk);
        }
    }

    /// <summary>Part p solves chunks [p·chunks/threads, (p+1)·chunks/threads) of B's rows, with its own pooled scratch.</summary>
    private readonly unsafe struct ChunkParts<T>(Triangle triangle, Transpose transpose, Diagonal diagonal,
        nint t, int ldt, int k, nint b, int ldb, int rows, int chunks, int threads) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            int first = (int)((long)part * chunks / threads) * ChunkRows;
            int end = Math.Min(rows, (int)((long)(part + 1) * chunks / threads) * ChunkRows);
            if (first >= end)
            {
                return;
            }
            var triangleView = new ReadOnlyMatrixView<T>(new ReadOnlySpan<T>((T*)t, (k - 1) * ldt + k), k, k, ldt);
            var bView = new MatrixView<T>(new Span<T>((T*)b, (rows - 1) * ldb + k), rows, k, ldb);
            T[] scratch = ArrayPool<T>.Shared.Rent(ScratchLength);
            SubstituteChunks(triangle, transpose, diagonal, triangleView, bView, first, end, scratch);
            ArrayPool<T>.Shared.Return(scratch);
        }
    }
}
