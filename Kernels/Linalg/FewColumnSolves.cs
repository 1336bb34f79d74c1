using System.Buffers;
using System.Numerics;
using Kernels.Blas;

namespace Kernels.Linalg;

/// <summary>
/// The products and Cholesky solves of <see cref="MixedPrecisionCholesky"/>'s refinement, for a few (c) columns held
/// transposed, as the rows of a c × n block. Each reads the lower triangle of the n × n matrix row by row exactly once and
/// spends c fused dot products and axpys on each row while it is in cache, so the cost is one pass over half the matrix —
/// what a product only c columns wide is bound by — where <see cref="Level3.Gemm{T}"/> and the blocked
/// <see cref="TriangularSolve"/> copy the whole matrix into packed panels first (measured at n = 5,000, c = 10: several
/// times slower).
/// </summary>
/// <remarks>
/// <para>Row prefixes are taken in chunks of <see cref="Chunk"/> elements, and all c columns are run over a chunk before
/// the next, so the chunk of the matrix row stays in L1 while the c columns stream past it.</para>
/// <para>Threads: the residual splits the triangle into a fixed number of parts (<see cref="ResidualParts"/>, whatever the
/// thread count), each with its own accumulator for the upper-triangle contributions, summed in part order; the solves
/// go block by block (<see cref="SolveBlock"/> rows), the threads splitting each block's product with the solved part by
/// rows (forward) or by columns (backward), so the factor too is read once per solve in all. Every output element is
/// computed by the same operations in the same order on any thread, so the results are bitwise independent of the
/// thread count.</para>
/// </remarks>
internal static unsafe class FewColumnSolves
{
    /// <summary>Elements of a row prefix processed for all columns before the next (4 KiB of doubles: an L1-resident chunk).</summary>
    private const int Chunk = 512;

    /// <summary>
    /// Most right-hand sides whose running dots one row keeps on the stack: wider blocks go in groups of this many, each
    /// column's dot still summed chunk by chunk in the same order, so grouping changes no bits and a caller's column
    /// count never decides the stack size.
    /// </summary>
    private const int DotColumns = 64;

    /// <summary>Parts of the residual's triangle: fixed, so that the sum of the parts' accumulators does not depend on the thread count.</summary>
    private const int ResidualParts = 4;

    /// <summary>Rows per block of the blocked substitutions.</summary>
    private const int SolveBlock = 256;

    /// <summary>
    /// Rᵀ ← Bᵀ − Xᵀ·A for symmetric n × n A of which only the lower triangle (diagonal included) is read: row i of the
    /// triangle gives the dot products with X's rows up to i (A's row i left of the diagonal) and, by symmetry, the
    /// axpys into the entries before i (A's column i below the diagonal). All c × n.
    /// </summary>
    public static void Residual<T>(ReadOnlyMatrixView<T> a, ReadOnlyMatrixView<T> bt, ReadOnlyMatrixView<T> xt, MatrixView<T> rt, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows, c = xt.Rows;
        int threads = options.ThreadsFor((long)n * n * c, ResidualParts);
        T[] accumulators = ArrayPool<T>.Shared.Rent(ResidualParts * c * n);
        try
        {
            fixed (T* pa = a.Data)
            fixed (T* px = xt.Data)
            fixed (T* pr = rt.Data)
            fixed (T* pu = accumulators)
            {
                var work = new ResidualPart<T>((nint)pa, a.Stride, (nint)px, xt.Stride, (nint)pr, rt.Stride, (nint)pu, n, c);
                ParallelParts.Run(work, ResidualParts, threads);
            }
            // R = B − (lower-triangle dots, already in R) − Σ_p (upper-triangle axpys of part p), in part order.
            for (int j = 0; j < c; j++)
            {
                Span<T> r = rt.Row(j);
                ReadOnlySpan<T> b = bt.Row(j);
                for (int i = 0; i < n; i++)
                {
                    T sum = r[i];
                    for (int p = 0; p < ResidualParts; p++)
                    {
                        int end = PartEnd(p, n);
                        if (i < end)
                        {
                            sum += accumulators[((long)p * c + j) * n + i];
                        }
                    }
                    r[i] = b[i] - sum;
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(accumulators);
        }
    }

    /// <summary>The first row after part p of the triangle: parts of equal area, row n·√((p + 1)/P).</summary>
    private static int PartEnd(int part, int n) =>
        part == ResidualParts - 1 ? n : (int)(n * Math.Sqrt((part + 1) / (double)ResidualParts));

    /// <summary>
    /// Part p takes the rows [PartEnd(p − 1), PartEnd(p)): for row i it writes the dot Σ_{k≤i} A[i, k]·x_j[k] into R[j, i]
    /// and adds A[i, k]·x_j[i] for k &lt; i into its own accumulator U_p[j, k] (zeroed first, over the columns before its end).
    /// </summary>
    private readonly struct ResidualPart<T>(nint a, int lda, nint xt, int ldx, nint rt, int ldr, nint accumulators, int n, int c) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            int start = part == 0 ? 0 : PartEnd(part - 1, n), end = PartEnd(part, n);
            T* u = (T*)accumulators + (long)part * c * n;
            for (int j = 0; j < c; j++)
            {
                new Span<T>(u + (long)j * n, end).Clear();
            }
            Span<T> dots = stackalloc T[Math.Min(c, DotColumns)];
            for (int i = start; i < end; i++)
            {
                T* row = (T*)a + (long)i * lda;
                for (int j0 = 0; j0 < c; j0 += DotColumns)
                {
                    int columns = Math.Min(DotColumns, c - j0);
                    dots.Clear();
                    for (int k0 = 0; k0 < i; k0 += Chunk)
                    {
                        int length = Math.Min(Chunk, i - k0);
                        var rowChunk = new ReadOnlySpan<T>(row + k0, length);
                        for (int j = j0; j < j0 + columns; j++)
                        {
                            T* x = (T*)xt + (long)j * ldx;
                            dots[j - j0] += DotAxpy(rowChunk, new ReadOnlySpan<T>(x + k0, length), x[i], new Span<T>(u + (long)j * n + k0, length));
                        }
                    }
                    for (int j = j0; j < j0 + columns; j++)
                    {
                        T* x = (T*)xt + (long)j * ldx;
                        ((T*)rt)[(long)j * ldr + i] = dots[j - j0] + row[i] * x[i];
                    }
                }
            }
        }
    }

    /// <summary>Returns Σ a[k]·x[k] and adds s·a[k] to u[k], in one pass over a.</summary>
    private static T DotAxpy<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> x, T s, Span<T> u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count, k = 0;
        var sum0 = Vector<T>.Zero;
        var sum1 = Vector<T>.Zero;
        var scale = new Vector<T>(s);
        for (; k <= a.Length - 2 * width; k += 2 * width)
        {
            var a0 = new Vector<T>(a[k..]);
            var a1 = new Vector<T>(a[(k + width)..]);
            sum0 += a0 * new Vector<T>(x[k..]);
            sum1 += a1 * new Vector<T>(x[(k + width)..]);
            (new Vector<T>(u[k..]) + a0 * scale).CopyTo(u[k..]);
            (new Vector<T>(u[(k + width)..]) + a1 * scale).CopyTo(u[(k + width)..]);
        }
        T dot = Vector.Sum(sum0 + sum1);
        for (; k < a.Length; k++)
        {
            dot += a[k] * x[k];
            u[k] += a[k] * s;
        }
        return dot;
    }

    /// <summary>Solves L·Lᵀ·D = R in place for each row of <paramref name="dt"/> (Dᵀ, c × n), with L the lower triangle of <paramref name="factor"/>.</summary>
    public static void Run<T>(ReadOnlyMatrixView<T> factor, MatrixView<T> dt, BlasOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = factor.Rows, c = dt.Rows;
        int threads = options.ThreadsFor((long)n * n * c, 2);
        fixed (T* pl = factor.Data)
        fixed (T* pd = dt.Data)
        {
            // Forward, L·Y = R: for each block of rows, the product with the solved rows before it (split by rows among
            // threads), then the substitution within the block's triangle.
            for (int b0 = 0; b0 < n; b0 += SolveBlock)
            {
                int rows = Math.Min(SolveBlock, n - b0);
                var forward = new ForwardProduct<T>((nint)pl, factor.Stride, (nint)pd, dt.Stride, b0, rows, c, threads);
                ParallelParts.Run(forward, threads, threads);
                for (int i = b0; i < b0 + rows; i++)
                {
                    T* row = pl + (long)i * factor.Stride;
                    for (int j = 0; j < c; j++)
                    {
                        T* y = pd + (long)j * dt.Stride;
                        y[i] = (y[i] - Level1.Dot(new ReadOnlySpan<T>(row + b0, i - b0), new ReadOnlySpan<T>(y + b0, i - b0))) / row[i];
                    }
                }
            }
            // Backward, Lᵀ·D = Y: for each block of rows from the last, the substitution within the block's triangle (by
            // rows of L: x_i = y_i / L[i, i], then y[b0 … i) −= x_i·L[i, b0 … i)), then the block's rows times their
            // solutions subtracted from the entries before the block (split by columns among threads).
            for (int b0 = (n - 1) / SolveBlock * SolveBlock; b0 >= 0; b0 -= SolveBlock)
            {
                int rows = Math.Min(SolveBlock, n - b0);
                for (int i = b0 + rows - 1; i >= b0; i--)
                {
                    T* row = pl + (long)i * factor.Stride;
                    for (int j = 0; j < c; j++)
                    {
                        T* y = pd + (long)j * dt.Stride;
                        y[i] /= row[i];
                        Level1.Axpy(-y[i], new ReadOnlySpan<T>(row + b0, i - b0), new Span<T>(y + b0, i - b0));
                    }
                }
                if (b0 > 0)
                {
                    var backward = new BackwardProduct<T>((nint)pl, factor.Stride, (nint)pd, dt.Stride, b0, rows, c, threads);
                    ParallelParts.Run(backward, threads, threads);
                }
            }
        }
    }

    /// <summary>Part p of rows [b0, b0 + rows): y_j[i] −= L[i, :b0]·y_j[:b0] for every column j, chunk by chunk.</summary>
    private readonly struct ForwardProduct<T>(nint l, int ldl, nint dt, int ldd, int b0, int rows, int c, int threads) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            int first = b0 + (int)((long)part * rows / threads), end = b0 + (int)((long)(part + 1) * rows / threads);
            Span<T> dots = stackalloc T[Math.Min(c, DotColumns)];
            for (int i = first; i < end; i++)
            {
                T* row = (T*)l + (long)i * ldl;
                for (int j0 = 0; j0 < c; j0 += DotColumns)
                {
                    int columns = Math.Min(DotColumns, c - j0);
                    dots.Clear();
                    for (int k0 = 0; k0 < b0; k0 += Chunk)
                    {
                        int length = Math.Min(Chunk, b0 - k0);
                        var rowChunk = new ReadOnlySpan<T>(row + k0, length);
                        for (int j = j0; j < j0 + columns; j++)
                        {
                            dots[j - j0] += Level1.Dot(rowChunk, new ReadOnlySpan<T>((T*)dt + (long)j * ldd + k0, length));
                        }
                    }
                    for (int j = j0; j < j0 + columns; j++)
                    {
                        ((T*)dt)[(long)j * ldd + i] -= dots[j - j0];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Part p of the columns [0, b0): y_j[k] −= Σ_{i in the block} L[i, k]·x_j[i], the block's rows taken in order for
    /// each chunk of columns.
    /// </summary>
    private readonly struct BackwardProduct<T>(nint l, int ldl, nint dt, int ldd, int b0, int rows, int c, int threads) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            // Split [0, b0) at multiples of the chunk, so that no chunk is shared between parts.
            int chunks = (b0 + Chunk - 1) / Chunk;
            int first = (int)((long)part * chunks / threads) * Chunk, end = Math.Min(b0, (int)((long)(part + 1) * chunks / threads) * Chunk);
            for (int k0 = first; k0 < end; k0 += Chunk)
            {
                int length = Math.Min(Chunk, end - k0);
                for (int i = b0; i < b0 + rows; i++)
                {
                    var rowChunk = new ReadOnlySpan<T>((T*)l + (long)i * ldl + k0, length);
                    for (int j = 0; j < c; j++)
                    {
                        T* y = (T*)dt + (long)j * ldd;
                        Level1.Axpy(-y[i], rowChunk, new Span<T>(y + k0, length));
                    }
                }
            }
        }
    }

}
