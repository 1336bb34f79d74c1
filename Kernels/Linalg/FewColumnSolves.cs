using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Kernels.Blas;

namespace Kernels.Linalg;

/// <summary>
/// The products and Cholesky solves of <see cref="MixedPrecisionCholesky"/>'s refinement, for a few (c) columns held
/// transposed, as the rows of a c × n block. Each reads the lower triangle of the n × n matrix exactly once, four rows
/// at a time, and spends c fused dot products and/or axpys on each group of rows while it is in cache, so the cost is
/// one pass over half the matrix — what a product only c columns wide is bound by — where <see cref="Level3.Gemm{T}"/>
/// and the blocked <see cref="TriangularSolve"/> copy the whole matrix into packed panels first (measured at n = 5,000,
/// c = 10: several times slower).
/// </summary>
/// <remarks>
/// <para>Row prefixes are taken in chunks of <see cref="Chunk"/> elements, and all c columns are run over a chunk of a
/// group of <see cref="GroupRows"/> rows before the next, so the group's chunk stays in L1 while the c columns stream past
/// it, and each element of a column's chunk is loaded (and, for an axpy, stored) once per group of rows instead of once
/// per row. Every vector step is a 256-bit fused multiply-add (<see cref="VectorMath.MultiplyAdd{T}(Vector256{T}, Vector256{T}, Vector256{T})"/>),
/// which on this library's target cores runs at the same flop rate as 512 bits.</para>
/// <para>Bits: a row's dot product is summed chunk by chunk in lanes, in the same order whichever group the row falls
/// in; an axpy adds the group's rows one after another in row order, each fused multiply-add rounded once, exactly as
/// row-by-row axpys would. So the grouping, which depends only on n, never on the thread count, changes nothing.</para>
/// <para>Threads: the residual splits the triangle into a fixed number of parts (<see cref="ResidualParts"/>, whatever the
/// thread count), each with its own accumulator for the upper-triangle contributions, summed in part order; the solves
/// go block by block (<see cref="SolveBlock"/> rows), the threads splitting each block's product with the solved part by
/// rows (forward) or by columns (backward) and its substitution within the diagonal block by right-hand sides, so the
/// factor too is read once per solve in all. Every output element is computed by the same operations in the same order on
/// any thread, so the results are bitwise independent of the thread count.</para>
/// </remarks>
internal static unsafe class FewColumnSolves
{
    /// <summary>Elements of a row prefix processed for all columns before the next (a group's chunk: 16 KiB of doubles, L1-resident).</summary>
    private const int Chunk = 512;

    /// <summary>Rows of the matrix whose chunks one pass over a column's chunk serves: the column's loads and stores are shared by them.</summary>
    private const int GroupRows = 4;

    /// <summary>
    /// Most right-hand sides whose running dots one group of rows keeps on the stack: wider blocks go in groups of this many,
    /// each column's dot still summed chunk by chunk in the same order, so grouping changes no bits and a caller's column
    /// count never decides the stack size.
    /// </summary>
    private const int DotColumns = 64;

    /// <summary>Parts of the residual's triangle: fixed, so that the sum of the parts' accumulators does not depend on the thread count.</summary>
    private const int ResidualParts = 4;

    /// <summary>Rows per block of the blocked substitutions (a multiple of the vector width, so the products need no tails).</summary>
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
            // R = B − (lower-triangle dots, already in R) − Σ_p (upper-triangle axpys of part p), in part order; part p's
            // accumulator covers the entries before its end only.
            Span<int> ends = stackalloc int[ResidualParts];
            for (int p = 0; p < ResidualParts; p++)
            {
                ends[p] = PartEnd(p, n);
            }
            for (int j = 0; j < c; j++)
            {
                Span<T> r = rt.Row(j);
                ReadOnlySpan<T> b = bt.Row(j);
                for (int i = 0; i < n; i++)
                {
                    T sum = r[i];
                    for (int p = 0; p < ResidualParts; p++)
                    {
                        if (i < ends[p])
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
    /// Part p takes the rows [PartEnd(p − 1), PartEnd(p)) in groups of <see cref="GroupRows"/>: for row i it writes the dot
    /// Σ_{k≤i} A[i, k]·x_j[k] into R[j, i] and adds A[i, k]·x_j[i] for k &lt; i into its own accumulator U_p[j, k] (zeroed
    /// first, over the columns before its end). The group's columns left of its first row, whole vectors of them, go through
    /// <see cref="DotAxpy4{T}"/>, two columns at a time; the few after them up to each row's diagonal are done one by one.
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
            Span<T> dots = stackalloc T[GroupRows * Math.Min(c, DotColumns)];
            for (int i0 = start; i0 < end; i0 += GroupRows)
            {
                int rows = Math.Min(GroupRows, end - i0);
                var group = new RowGroup<T>((T*)a, lda, i0, rows);
                int vectorEnd = i0 / Vector256<T>.Count * Vector256<T>.Count;
                for (int j0 = 0; j0 < c; j0 += DotColumns)
                {
                    int columns = Math.Min(DotColumns, c - j0);
                    dots.Clear();
                    for (int k0 = 0; k0 < vectorEnd; k0 += Chunk)
                    {
                        int length = Math.Min(Chunk, vectorEnd - k0);
                        // The next group's whole vectors end at its own first row, rounded down.
                        var (next, nextK, nextLength) = NextChunk((T*)a, lda, group, end, k0, vectorEnd, (i0 + GroupRows) / Vector256<T>.Count * Vector256<T>.Count);
                        for (int j = j0; j < j0 + columns; j += 2)
                        {
                            // Two columns per pass where there are two: each loaded vector of the rows then feeds twice the
                            // fused multiply-adds, and each column's operations are still exactly those of a pass of its own.
                            int pair = Math.Min(2, j0 + columns - j);
                            PrefetchSlice(next, nextK, nextLength, (j - j0) / 2, (columns + 1) / 2);
                            T* x = (T*)xt + (long)j * ldx;
                            T* x1 = pair == 2 ? x + ldx : x;
                            DotAxpy4(group, k0, length, x, group.Scales(x), u + (long)j * n, x1, group.Scales(x1), u + (long)(j + pair - 1) * n,
                                dots.Slice((j - j0) * GroupRows, pair * GroupRows));
                        }
                    }
                    for (int r = 0; r < rows; r++)
                    {
                        int i = i0 + r;
                        T* row = (T*)a + (long)i * lda;
                        for (int j = j0; j < j0 + columns; j++)
                        {
                            T* x = (T*)xt + (long)j * ldx;
                            T* uj = u + (long)j * n;
                            T dot = dots[(j - j0) * GroupRows + r], s = x[i];
                            for (int k = vectorEnd; k < i; k++)
                            {
                                dot += row[k] * x[k];
                                uj[k] += row[k] * s;
                            }
                            ((T*)rt)[(long)j * ldr + i] = dot + row[i] * x[i];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Prefetches slice <paramref name="slice"/> of <paramref name="slices"/> of the elements [k0, k0 + length) of the group's
    /// rows (that share of each row's bytes). A kernel that runs all c columns over one chunk of a group of rows reads the
    /// chunk from memory only for its first column and from L1 for the rest, so memory would idle while the other columns
    /// compute and the compute would wait at the next chunk's first column; prefetching a slice of the next chunk before
    /// each column spreads its reads over the current chunk's work. Into L2, not L1: a group's chunk of doubles is 16 KiB,
    /// so the next one in L1 beside it and the columns' chunks would evict the current one (measured at n = 5,000, c = 10:
    /// the residual 9.2 ms with L1 prefetches, 7.9 ms with L2 ones, 10.5 ms with none). Changes no result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchSlice<T>(in RowGroup<T> g, int k0, int length, int slice, int slices) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int bytes = length * sizeof(T);
        int from = (int)((long)bytes * slice / slices), count = (int)((long)bytes * (slice + 1) / slices) - from;
        if (count > 0 && Sse.IsSupported)
        {
            for (int offset = from; offset < from + count; offset += 64)
            {
                Sse.Prefetch1((byte*)(g.Row0 + k0) + offset);
                Sse.Prefetch1((byte*)(g.Row1 + k0) + offset);
                Sse.Prefetch1((byte*)(g.Row2 + k0) + offset);
                Sse.Prefetch1((byte*)(g.Row3 + k0) + offset);
            }
        }
    }

    /// <summary>
    /// The chunk a group-and-chunk loop reads after [k0, k0 + <see cref="Chunk"/>) of <paramref name="group"/>, for
    /// <see cref="PrefetchSlice{T}"/>: the group's next chunk while it lies below <paramref name="groupEnd"/>, else the first
    /// chunk (up to <paramref name="nextGroupEnd"/>) of the next group of rows before <paramref name="rowEnd"/>, else none
    /// (length 0).
    /// </summary>
    private static (RowGroup<T> Group, int K, int Length) NextChunk<T>(T* a, int lda, in RowGroup<T> group, int rowEnd, int k0, int groupEnd,
        int nextGroupEnd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (k0 + Chunk < groupEnd)
        {
            return (group, k0 + Chunk, Math.Min(Chunk, groupEnd - k0 - Chunk));
        }
        int rows = Math.Min(GroupRows, rowEnd - group.First - GroupRows);
        return rows > 0 ? (new RowGroup<T>(a, lda, group.First + GroupRows, rows), 0, Math.Min(Chunk, nextGroupEnd)) : (group, 0, 0);
    }

    /// <summary>
    /// Rows i0 … i0 + rows − 1 (rows ≤ 4) of a row-major matrix as four row pointers; a group of fewer rows repeats its last
    /// row in the missing places, whose dots are then ignored and whose axpy scales are zero (adding 0·a changes no sum).
    /// </summary>
    private readonly struct RowGroup<T>(T* a, long lda, int i0, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public readonly T* Row0 = a + i0 * lda;
        public readonly T* Row1 = a + (i0 + Math.Min(1, rows - 1)) * lda;
        public readonly T* Row2 = a + (i0 + Math.Min(2, rows - 1)) * lda;
        public readonly T* Row3 = a + (i0 + Math.Min(3, rows - 1)) * lda;
        public readonly int First = i0;
        public readonly int Rows = rows;

        /// <summary>The group's entries of a column, x[i0 + r], as the scales of its axpys (zero for the missing rows).</summary>
        public (T, T, T, T) Scales(T* x) => (x[First], Rows > 1 ? x[First + 1] : T.Zero, Rows > 2 ? x[First + 2] : T.Zero, Rows > 3 ? x[First + 3] : T.Zero);
    }

    /// <summary>
    /// Over the elements [k0, k0 + length) (whole vectors), for two columns at once (x, s, u and x1, s1, u1): adds the four
    /// rows' dots with x to dots[0 … 4) and with x1 to dots[4 … 8), and adds Σ_r s_r·row_r to u and Σ_r s1_r·row_r to u1, the
    /// rows in order, in one pass that loads each element of the rows once for both columns and each element of x, u, x1
    /// and u1 once for all four rows. With <paramref name="dots"/> of length 4 only the first column is taken (the second's
    /// operands are then ignored). Each column's sums are formed exactly as in a pass of its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotAxpy4<T>(in RowGroup<T> g, int k0, int length, T* x, (T, T, T, T) s, T* u, T* x1, (T, T, T, T) s1, T* u1, Span<T> dots)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* row0 = g.Row0, row1 = g.Row1, row2 = g.Row2, row3 = g.Row3;
        var s0 = Vector256.Create(s.Item1);
        var s1v = Vector256.Create(s.Item2);
        var s2 = Vector256.Create(s.Item3);
        var s3 = Vector256.Create(s.Item4);
        var sum0 = Vector256<T>.Zero;
        var sum1 = Vector256<T>.Zero;
        var sum2 = Vector256<T>.Zero;
        var sum3 = Vector256<T>.Zero;
        if (dots.Length == GroupRows)
        {
            for (int k = k0; k < k0 + length; k += Vector256<T>.Count)
            {
                var a0 = Vector256.Load(row0 + k);
                var a1 = Vector256.Load(row1 + k);
                var a2 = Vector256.Load(row2 + k);
                var a3 = Vector256.Load(row3 + k);
                var xv = Vector256.Load(x + k);
                sum0 = VectorMath.MultiplyAdd(a0, xv, sum0);
                sum1 = VectorMath.MultiplyAdd(a1, xv, sum1);
                sum2 = VectorMath.MultiplyAdd(a2, xv, sum2);
                sum3 = VectorMath.MultiplyAdd(a3, xv, sum3);
                var uv = Vector256.Load(u + k);
                uv = VectorMath.MultiplyAdd(a0, s0, uv);
                uv = VectorMath.MultiplyAdd(a1, s1v, uv);
                uv = VectorMath.MultiplyAdd(a2, s2, uv);
                VectorMath.MultiplyAdd(a3, s3, uv).Store(u + k);
            }
        }
        else
        {
            var t0 = Vector256.Create(s1.Item1);
            var t1 = Vector256.Create(s1.Item2);
            var t2 = Vector256.Create(s1.Item3);
            var t3 = Vector256.Create(s1.Item4);
            var sum4 = Vector256<T>.Zero;
            var sum5 = Vector256<T>.Zero;
            var sum6 = Vector256<T>.Zero;
            var sum7 = Vector256<T>.Zero;
            for (int k = k0; k < k0 + length; k += Vector256<T>.Count)
            {
                var a0 = Vector256.Load(row0 + k);
                var a1 = Vector256.Load(row1 + k);
                var a2 = Vector256.Load(row2 + k);
                var a3 = Vector256.Load(row3 + k);
                var xv = Vector256.Load(x + k);
                var xw = Vector256.Load(x1 + k);
                sum0 = VectorMath.MultiplyAdd(a0, xv, sum0);
                sum1 = VectorMath.MultiplyAdd(a1, xv, sum1);
                sum2 = VectorMath.MultiplyAdd(a2, xv, sum2);
                sum3 = VectorMath.MultiplyAdd(a3, xv, sum3);
                sum4 = VectorMath.MultiplyAdd(a0, xw, sum4);
                sum5 = VectorMath.MultiplyAdd(a1, xw, sum5);
                sum6 = VectorMath.MultiplyAdd(a2, xw, sum6);
                sum7 = VectorMath.MultiplyAdd(a3, xw, sum7);
                var uv = Vector256.Load(u + k);
                var uw = Vector256.Load(u1 + k);
                uv = VectorMath.MultiplyAdd(a0, s0, uv);
                uw = VectorMath.MultiplyAdd(a0, t0, uw);
                uv = VectorMath.MultiplyAdd(a1, s1v, uv);
                uw = VectorMath.MultiplyAdd(a1, t1, uw);
                uv = VectorMath.MultiplyAdd(a2, s2, uv);
                uw = VectorMath.MultiplyAdd(a2, t2, uw);
                VectorMath.MultiplyAdd(a3, s3, uv).Store(u + k);
                VectorMath.MultiplyAdd(a3, t3, uw).Store(u1 + k);
            }
            dots[4] += Vector256.Sum(sum4);
            dots[5] += Vector256.Sum(sum5);
            dots[6] += Vector256.Sum(sum6);
            dots[7] += Vector256.Sum(sum7);
        }
        dots[0] += Vector256.Sum(sum0);
        dots[1] += Vector256.Sum(sum1);
        dots[2] += Vector256.Sum(sum2);
        dots[3] += Vector256.Sum(sum3);
    }

    /// <summary>
    /// The four rows' dots with x over the elements [k0, k0 + length) (whole vectors) added to dots[0 … 4), and with x1 to
    /// dots[4 … 8) in the same pass (each loaded vector of the rows feeding both); with <paramref name="dots"/> of length 4
    /// only x is taken. Each column's dots are formed exactly as in a pass of its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4<T>(in RowGroup<T> g, int k0, int length, T* x, T* x1, Span<T> dots) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sum0 = Vector256<T>.Zero;
        var sum1 = Vector256<T>.Zero;
        var sum2 = Vector256<T>.Zero;
        var sum3 = Vector256<T>.Zero;
        T* row0 = g.Row0, row1 = g.Row1, row2 = g.Row2, row3 = g.Row3;
        if (dots.Length == GroupRows)
        {
            for (int k = k0; k < k0 + length; k += Vector256<T>.Count)
            {
                var xv = Vector256.Load(x + k);
                sum0 = VectorMath.MultiplyAdd(Vector256.Load(row0 + k), xv, sum0);
                sum1 = VectorMath.MultiplyAdd(Vector256.Load(row1 + k), xv, sum1);
                sum2 = VectorMath.MultiplyAdd(Vector256.Load(row2 + k), xv, sum2);
                sum3 = VectorMath.MultiplyAdd(Vector256.Load(row3 + k), xv, sum3);
            }
        }
        else
        {
            var sum4 = Vector256<T>.Zero;
            var sum5 = Vector256<T>.Zero;
            var sum6 = Vector256<T>.Zero;
            var sum7 = Vector256<T>.Zero;
            for (int k = k0; k < k0 + length; k += Vector256<T>.Count)
            {
                var a0 = Vector256.Load(row0 + k);
                var a1 = Vector256.Load(row1 + k);
                var a2 = Vector256.Load(row2 + k);
                var a3 = Vector256.Load(row3 + k);
                var xv = Vector256.Load(x + k);
                var xw = Vector256.Load(x1 + k);
                sum0 = VectorMath.MultiplyAdd(a0, xv, sum0);
                sum1 = VectorMath.MultiplyAdd(a1, xv, sum1);
                sum2 = VectorMath.MultiplyAdd(a2, xv, sum2);
                sum3 = VectorMath.MultiplyAdd(a3, xv, sum3);
                sum4 = VectorMath.MultiplyAdd(a0, xw, sum4);
                sum5 = VectorMath.MultiplyAdd(a1, xw, sum5);
                sum6 = VectorMath.MultiplyAdd(a2, xw, sum6);
                sum7 = VectorMath.MultiplyAdd(a3, xw, sum7);
            }
            dots[4] += Vector256.Sum(sum4);
            dots[5] += Vector256.Sum(sum5);
            dots[6] += Vector256.Sum(sum6);
            dots[7] += Vector256.Sum(sum7);
        }
        dots[0] += Vector256.Sum(sum0);
        dots[1] += Vector256.Sum(sum1);
        dots[2] += Vector256.Sum(sum2);
        dots[3] += Vector256.Sum(sum3);
    }

    /// <summary>u[k] += Σ_r s_r·row_r[k] over the elements [k0, k0 + length) (whole vectors), the rows in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy4<T>(in RowGroup<T> g, int k0, int length, (T, T, T, T) s, T* u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s0 = Vector256.Create(s.Item1);
        var s1 = Vector256.Create(s.Item2);
        var s2 = Vector256.Create(s.Item3);
        var s3 = Vector256.Create(s.Item4);
        T* row0 = g.Row0, row1 = g.Row1, row2 = g.Row2, row3 = g.Row3;
        for (int k = k0; k < k0 + length; k += Vector256<T>.Count)
        {
            var uv = Vector256.Load(u + k);
            uv = VectorMath.MultiplyAdd(Vector256.Load(row0 + k), s0, uv);
            uv = VectorMath.MultiplyAdd(Vector256.Load(row1 + k), s1, uv);
            uv = VectorMath.MultiplyAdd(Vector256.Load(row2 + k), s2, uv);
            VectorMath.MultiplyAdd(Vector256.Load(row3 + k), s3, uv).Store(u + k);
        }
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
            // threads), then the substitution within the block's triangle (split by right-hand sides).
            for (int b0 = 0; b0 < n; b0 += SolveBlock)
            {
                int rows = Math.Min(SolveBlock, n - b0);
                if (b0 > 0)
                {
                    var forward = new ForwardProduct<T>((nint)pl, factor.Stride, (nint)pd, dt.Stride, b0, rows, c, threads);
                    ParallelParts.Run(forward, threads, threads);
                }
                ParallelParts.Run(new Substitution<T>((nint)pl, factor.Stride, (nint)pd, dt.Stride, b0, rows, c, threads, forward: true), threads, threads);
            }
            // Backward, Lᵀ·D = Y: for each block of rows from the last, the substitution within the block's triangle (by
            // rows of L: x_i = y_i / L[i, i], then y[b0 … i) −= x_i·L[i, b0 … i)), then the block's rows times their
            // solutions subtracted from the entries before the block (split by columns among threads).
            for (int b0 = (n - 1) / SolveBlock * SolveBlock; b0 >= 0; b0 -= SolveBlock)
            {
                int rows = Math.Min(SolveBlock, n - b0);
                ParallelParts.Run(new Substitution<T>((nint)pl, factor.Stride, (nint)pd, dt.Stride, b0, rows, c, threads, forward: false), threads, threads);
                if (b0 > 0)
                {
                    var backward = new BackwardProduct<T>((nint)pl, factor.Stride, (nint)pd, dt.Stride, b0, rows, c, threads);
                    ParallelParts.Run(backward, threads, threads);
                }
            }
        }
    }

    /// <summary>
    /// Part p of the right-hand sides: the substitution within the diagonal block [b0, b0 + rows), forward
    /// (y_i = (y_i − L[i, b0 … i)·y[b0 … i)) / L[i, i]) or backward (x_i = y_i / L[i, i], then y[b0 … i) −= x_i·L[i, b0 … i)).
    /// </summary>
    private readonly struct Substitution<T>(nint l, int ldl, nint dt, int ldd, int b0, int rows, int c, int threads, bool forward) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            int first = (int)((long)part * c / threads), end = (int)((long)(part + 1) * c / threads);
            for (int j = first; j < end; j++)
            {
                T* y = (T*)dt + (long)j * ldd;
                if (forward)
                {
                    for (int i = b0; i < b0 + rows; i++)
                    {
                        T* row = (T*)l + (long)i * ldl;
                        y[i] = (y[i] - Level1.Dot(new ReadOnlySpan<T>(row + b0, i - b0), new ReadOnlySpan<T>(y + b0, i - b0))) / row[i];
                    }
                }
                else
                {
                    for (int i = b0 + rows - 1; i >= b0; i--)
                    {
                        T* row = (T*)l + (long)i * ldl;
                        y[i] /= row[i];
                        Level1.Axpy(-y[i], new ReadOnlySpan<T>(row + b0, i - b0), new Span<T>(y + b0, i - b0));
                    }
                }
            }
        }
    }

    /// <summary>Part p of rows [b0, b0 + rows), in groups of four: y_j[i] −= L[i, :b0]·y_j[:b0] for every column j, chunk by chunk.</summary>
    private readonly struct ForwardProduct<T>(nint l, int ldl, nint dt, int ldd, int b0, int rows, int c, int threads) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            int first = b0 + (int)((long)part * rows / threads), end = b0 + (int)((long)(part + 1) * rows / threads);
            Span<T> dots = stackalloc T[GroupRows * Math.Min(c, DotColumns)];
            for (int i0 = first; i0 < end; i0 += GroupRows)
            {
                var group = new RowGroup<T>((T*)l, ldl, i0, Math.Min(GroupRows, end - i0));
                for (int j0 = 0; j0 < c; j0 += DotColumns)
                {
                    int columns = Math.Min(DotColumns, c - j0);
                    dots.Clear();
                    for (int k0 = 0; k0 < b0; k0 += Chunk)
                    {
                        int length = Math.Min(Chunk, b0 - k0);
                        var (next, nextK, nextLength) = NextChunk((T*)l, ldl, group, end, k0, b0, b0);
                        for (int j = j0; j < j0 + columns; j += 2)
                        {
                            // Two columns per pass where there are two (each loaded vector of the rows feeds both), each
                            // column's dots formed exactly as in a pass of its own.
                            int pair = Math.Min(2, j0 + columns - j);
                            PrefetchSlice(next, nextK, nextLength, (j - j0) / 2, (columns + 1) / 2);
                            T* y = (T*)dt + (long)j * ldd;
                            Dot4(group, k0, length, y, pair == 2 ? y + ldd : y, dots.Slice((j - j0) * GroupRows, pair * GroupRows));
                        }
                    }
                    for (int j = j0; j < j0 + columns; j++)
                    {
                        T* y = (T*)dt + (long)j * ldd;
                        for (int r = 0; r < group.Rows; r++)
                        {
                            y[i0 + r] -= dots[(j - j0) * GroupRows + r];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Part p of the columns [0, b0): y_j[k] −= Σ_{i in the block} L[i, k]·x_j[i], the block's rows taken in order (four at a
    /// time) for each chunk of columns.
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
                for (int i0 = b0; i0 < b0 + rows; i0 += GroupRows)
                {
                    var group = new RowGroup<T>((T*)l, ldl, i0, Math.Min(GroupRows, b0 + rows - i0));
                    // The chunk read after this one: the next group's, or the first group's next chunk.
                    bool last = i0 + GroupRows >= b0 + rows;
                    int nextFirst = last ? b0 : i0 + GroupRows, nextK = last ? k0 + Chunk : k0;
                    int nextLength = Math.Max(0, Math.Min(Chunk, end - nextK));
                    var next = new RowGroup<T>((T*)l, ldl, nextFirst, Math.Min(GroupRows, b0 + rows - nextFirst));
                    for (int j = 0; j < c; j++)
                    {
                        PrefetchSlice(next, nextK, nextLength, j, c);
                        T* y = (T*)dt + (long)j * ldd;
                        var (s0, s1, s2, s3) = group.Scales(y);
                        Axpy4(group, k0, length, (-s0, -s1, -s2, -s3), y);
                    }
                }
            }
        }
    }
}
