using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Blas;

/// <summary>
/// The vector loops behind <see cref="Level2.Gemv{T}"/>. 512- and 256-bit paths are hand-fused over four rows;
/// narrower machines (and rows shorter than one vector) use the level-1 kernels row by row.
/// </summary>
internal static unsafe class GemvKernels
{
    // ---- y ← alpha·A·x + beta·y ------------------------------------------------------------------------

    public static void RowsTimesVector<T>(T alpha, ReadOnlyMatrixView<T> a, ReadOnlySpan<T> x, T beta, Span<T> y, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Rows, n = a.Columns;
        if (m == 0)
        {
            return;
        }
        int threads = options.ThreadsFor((long)m * n, (m + 3) / 4);
        fixed (T* pa = a.Data)
        fixed (T* px = x)
        fixed (T* py = y)
        {
            if (threads == 1)
            {
                RowsTimesVector(pa, a.Stride, px, n, py, 0, m, alpha, beta);
            }
            else
            {
                RowsTimesVectorThreaded((nint)pa, a.Stride, (nint)px, n, (nint)py, m, alpha, beta, threads);
            }
        }
    }

    /// <summary>Row blocks in multiples of four, so each thread runs the same fused groups a single thread would.</summary>
    private static void RowsTimesVectorThreaded<T>(nint a, int stride, nint x, int n, nint y, int m, T alpha, T beta, int threads)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ParallelParts.Run(new RowsTimesVectorParts<T>(a, stride, x, n, y, m, alpha, beta, threads), threads);

    private readonly struct RowsTimesVectorParts<T>(nint a, int stride, nint x, int n, nint y, int m, T alpha, T beta, int threads) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            int groups = (m + 3) / 4;
            int start = (int)((long)part * groups / threads) * 4;
            int end = Math.Min(m, (int)((long)(part + 1) * groups / threads) * 4);
            RowsTimesVector((T*)a, stride, (T*)x, n, (T*)y, start, end, alpha, beta);
        }
    }

    private static void RowsTimesVector<T>(T* a, nint lda, T* x, int n, T* y, int start, int end, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = start;
        bool prefetch = (long)(end - start) * lda * sizeof(T) > PrefetchAbove;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            for (; i + 4 <= end; i += 4)
            {
                Dot4x512(a + i * lda, lda, x, n, prefetch, out T d0, out T d1, out T d2, out T d3);
                Finish(y + i, d0, d1, d2, d3, alpha, beta);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            for (; i + 4 <= end; i += 4)
            {
                Dot4x256(a + i * lda, lda, x, n, prefetch, out T d0, out T d1, out T d2, out T d3);
                Finish(y + i, d0, d1, d2, d3, alpha, beta);
            }
        }
        for (; i < end; i++)
        {
            T dot = Level1.Dot(new ReadOnlySpan<T>(a + i * lda, n), new ReadOnlySpan<T>(x, n));
            y[i] = beta == T.Zero ? alpha * dot : VectorMath.MultiplyAdd(alpha, dot, beta * y[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<T>(T* y, T d0, T d1, T d2, T d3, T alpha, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (beta == T.Zero)
        {
            y[0] = alpha * d0;
            y[1] = alpha * d1;
            y[2] = alpha * d2;
            y[3] = alpha * d3;
        }
        else
        {
            y[0] = VectorMath.MultiplyAdd(alpha, d0, beta * y[0]);
            y[1] = VectorMath.MultiplyAdd(alpha, d1, beta * y[1]);
            y[2] = VectorMath.MultiplyAdd(alpha, d2, beta * y[2]);
            y[3] = VectorMath.MultiplyAdd(alpha, d3, beta * y[3]);
        }
    }

    /// <summary>Bytes ahead of the dot loops' loads that the four rows are prefetched. The matrix usually sits in L3 on
    /// 4 KiB pages, where the hardware prefetchers stop at every page boundary; 2 KiB ahead keeps the next page's
    /// lines (and its TLB walk) in flight. Measured on Zen 4 with 2048² floats on one thread: about 15 % faster;
    /// 1 KiB ahead helped less, 4 KiB hurt.</summary>
    private const int PrefetchDistance = 2048;

    /// <summary>Rows of one call or thread spanning more bytes than this are prefetched: beyond about what Zen 4's L2 TLB
    /// covers (3072 × 4 KiB). Measured with 2048² floats: one thread on all 16 MiB is faster with prefetch, each of two
    /// threads on its 8 MiB half a little slower.</summary>
    private const long PrefetchAbove = 8L << 20;

    /// <summary>Prefetches the cache line of each of four rows that lies <see cref="PrefetchDistance"/> bytes after element <paramref name="j"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchAhead<T>(T* a0, T* a1, T* a2, T* a3, int j) where T : unmanaged
    {
        Prefetch.Line((byte*)(a0 + j) + PrefetchDistance);
        Prefetch.Line((byte*)(a1 + j) + PrefetchDistance);
        Prefetch.Line((byte*)(a2 + j) + PrefetchDistance);
        Prefetch.Line((byte*)(a3 + j) + PrefetchDistance);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Dot4x512<T>(T* a0, nint lda, T* x, int n, bool prefetch, out T d0, out T d1, out T d2, out T d3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int w = Vector512<T>.Count;
        Vector512<T> s0 = default, s1 = default, s2 = default, s3 = default;
        Vector512<T> t0 = default, t1 = default, t2 = default, t3 = default;
        int j = 0;
        for (; j + 2 * w <= n; j += 2 * w)
        {
            if (prefetch)
            {
                PrefetchAhead(a0, a1, a2, a3, j);
                PrefetchAhead(a0, a1, a2, a3, j + w);
            }
            Vector512<T> xa = Vector512.Load(x + j), xb = Vector512.Load(x + j + w);
            s0 = VectorMath.MultiplyAdd(Vector512.Load(a0 + j), xa, s0);
            s1 = VectorMath.MultiplyAdd(Vector512.Load(a1 + j), xa, s1);
            s2 = VectorMath.MultiplyAdd(Vector512.Load(a2 + j), xa, s2);
            s3 = VectorMath.MultiplyAdd(Vector512.Load(a3 + j), xa, s3);
            t0 = VectorMath.MultiplyAdd(Vector512.Load(a0 + j + w), xb, t0);
            t1 = VectorMath.MultiplyAdd(Vector512.Load(a1 + j + w), xb, t1);
            t2 = VectorMath.MultiplyAdd(Vector512.Load(a2 + j + w), xb, t2);
            t3 = VectorMath.MultiplyAdd(Vector512.Load(a3 + j + w), xb, t3);
        }
        if (j + w <= n)
        {
            Vector512<T> xa = Vector512.Load(x + j);
            s0 = VectorMath.MultiplyAdd(Vector512.Load(a0 + j), xa, s0);
            s1 = VectorMath.MultiplyAdd(Vector512.Load(a1 + j), xa, s1);
            s2 = VectorMath.MultiplyAdd(Vector512.Load(a2 + j), xa, s2);
            s3 = VectorMath.MultiplyAdd(Vector512.Load(a3 + j), xa, s3);
            j += w;
        }
        if (j < n)
        {
            // Overlapping last vector; lanes already summed are masked out of the accumulators.
            int tail = n - w;
            Vector512<T> fresh = VectorMath.LanesFrom512<T>(j - tail);
            Vector512<T> xt = Vector512.Load(x + tail);
            t0 = Vector512.ConditionalSelect(fresh, VectorMath.MultiplyAdd(Vector512.Load(a0 + tail), xt, t0), t0);
            t1 = Vector512.ConditionalSelect(fresh, VectorMath.MultiplyAdd(Vector512.Load(a1 + tail), xt, t1), t1);
            t2 = Vector512.ConditionalSelect(fresh, VectorMath.MultiplyAdd(Vector512.Load(a2 + tail), xt, t2), t2);
            t3 = Vector512.ConditionalSelect(fresh, VectorMath.MultiplyAdd(Vector512.Load(a3 + tail), xt, t3), t3);
        }
        var sum = default(SumAccumulator<T>);
        d0 = Horizontal.Reduce(s0 + t0, sum);
        d1 = Horizontal.Reduce(s1 + t1, sum);
        d2 = Horizontal.Reduce(s2 + t2, sum);
        d3 = Horizontal.Reduce(s3 + t3, sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Dot4x256<T>(T* a0, nint lda, T* x, int n, bool prefetch, out T d0, out T d1, out T d2, out T d3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int w = Vector256<T>.Count;
        Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default;
        Vector256<T> t0 = default, t1 = default, t2 = default, t3 = default;
        int j = 0;
        for (; j + 2 * w <= n; j += 2 * w)
        {
            if (prefetch)
            {
                PrefetchAhead(a0, a1, a2, a3, j);
            }
            Vector256<T> xa = Vector256.Load(x + j), xb = Vector256.Load(x + j + w);
            s0 = VectorMath.MultiplyAdd(Vector256.Load(a0 + j), xa, s0);
            s1 = VectorMath.MultiplyAdd(Vector256.Load(a1 + j), xa, s1);
            s2 = VectorMath.MultiplyAdd(Vector256.Load(a2 + j), xa, s2);
            s3 = VectorMath.MultiplyAdd(Vector256.Load(a3 + j), xa, s3);
            t0 = VectorMath.MultiplyAdd(Vector256.Load(a0 + j + w), xb, t0);
            t1 = VectorMath.MultiplyAdd(Vector256.Load(a1 + j + w), xb, t1);
            t2 = VectorMath.MultiplyAdd(Vector256.Load(a2 + j + w), xb, t2);
            t3 = VectorMath.MultiplyAdd(Vector256.Load(a3 + j + w), xb, t3);
        }
        if (j + w <= n)
        {
            Vector256<T> xa = Vector256.Load(x + j);
            s0 = VectorMath.MultiplyAdd(Vector256.Load(a0 + j), xa, s0);
            s1 = VectorMath.MultiplyAdd(Vector256.Load(a1 + j), xa, s1);
            s2 = VectorMath.MultiplyAdd(Vector256.Load(a2 + j), xa, s2);
            s3 = VectorMath.MultiplyAdd(Vector256.Load(a3 + j), xa, s3);
            j += w;
        }
        if (j < n)
        {
            int tail = n - w;
            Vector256<T> fresh = VectorMath.LanesFrom256<T>(j - tail);
            Vector256<T> xt = Vector256.Load(x + tail);
            t0 = Vector256.ConditionalSelect(fresh, VectorMath.MultiplyAdd(Vector256.Load(a0 + tail), xt, t0), t0);
            t1 = Vector256.ConditionalSelect(fresh, VectorMath.MultiplyAdd(Vector256.Load(a1 + tail), xt, t1), t1);
            t2 = Vector256.ConditionalSelect(fresh, VectorMath.MultiplyAdd(Vector256.Load(a2 + tail), xt, t2), t2);
            t3 = Vector256.ConditionalSelect(fresh, VectorMath.MultiplyAdd(Vector256.Load(a3 + tail), xt, t3), t3);
        }
        var sum = default(SumAccumulator<T>);
        d0 = Horizontal.Reduce(s0 + t0, sum);
        d1 = Horizontal.Reduce(s1 + t1, sum);
        d2 = Horizontal.Reduce(s2 + t2, sum);
        d3 = Horizontal.Reduce(s3 + t3, sum);
    }

    // ---- y ← alpha·Aᵀ·x + beta·y -----------------------------------------------------------------------

    /// <summary>Products with at least this many multiply-adds sum the two halves of A's rows separately (the second into
    /// scratch) and add them at the end, whatever the thread count. Two threads can then each stream whole rows of
    /// their own half, instead of half-rows of every row: measured on Zen 4 with 2048² floats, about 20 % faster than
    /// splitting the columns. A fixed constant, not <see cref="BlasOptions.ParallelThreshold"/>, so that the order of
    /// the sums, and hence the result, does not depend on the options.</summary>
    private const long SplitRowsAbove = 1L << 21;

    public static void TransposeTimesVector<T>(T alpha, ReadOnlyMatrixView<T> a, ReadOnlySpan<T> x, T beta, Span<T> y, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Rows, n = a.Columns;
        if (n == 0)
        {
            return;
        }
        // Column chunks are whole 512-bit vectors, so each thread's overlapping tail stays inside its own chunk.
        int chunk = Math.Max(1, 64 / sizeof(T));
        int chunks = n / chunk;
        int rowBlocks = (long)m * n >= SplitRowsAbove && m >= 8 ? 2 : 1;
        int threads = options.ThreadsFor((long)m * n, rowBlocks * Math.Max(1, chunks / 4));
        T[]? rented = rowBlocks == 1 ? null : System.Buffers.ArrayPool<T>.Shared.Rent(n);
        try
        {
            fixed (T* pa = a.Data)
            fixed (T* px = x)
            fixed (T* py = y)
            fixed (T* scratch = rented)
            {
                var parts = new TransposeTimesVectorParts<T>((nint)pa, a.Stride, m, (nint)px, (nint)py, (nint)scratch, n, alpha, beta,
                    rowBlocks, Math.Max(1, (threads + rowBlocks - 1) / rowBlocks), chunk, chunks);
                if (threads == 1)
                {
                    for (int part = 0; part < parts.Count; part++)
                    {
                        parts.Run(part);
                    }
                }
                else
                {
                    ParallelParts.Run(parts, parts.Count, threads);
                }
                if (rented is not null)
                {
                    // y ← y + scratch (the second half's sums), after both halves are complete.
                    Level1.Axpy(T.One, new ReadOnlySpan<T>(scratch, n), y);
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<T>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Part p covers row block p / columnRanges (block 0 accumulates onto beta·y, block 1 onto zeros in the
    /// scratch) and column range p % columnRanges, in whole chunks.</summary>
    private readonly struct TransposeTimesVectorParts<T>(nint a, int stride, int m, nint x, nint y, nint scratch, int n, T alpha, T beta,
        int rowBlocks, int columnRanges, int chunk, int chunks) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int Count => rowBlocks * columnRanges;

        public void Run(int part)
        {
            int block = part / columnRanges, range = part % columnRanges;
            int start = (int)((long)range * chunks / columnRanges) * chunk;
            int end = range == columnRanges - 1 ? n : (int)((long)(range + 1) * chunks / columnRanges) * chunk;
            int middle = rowBlocks == 1 ? m : m / 2;
            if (block == 0)
            {
                TransposeTimesVector((T*)a, stride, 0, middle, (T*)x, (T*)y, start, end, alpha, beta);
            }
            else
            {
                TransposeTimesVector((T*)a, stride, middle, m, (T*)x, (T*)scratch, start, end, alpha, T.Zero);
            }
        }
    }

    /// <summary>Columns [start, end) of y ← alpha·A[rowStart..rowEnd, :]ᵀx[rowStart..rowEnd] + beta·y.</summary>
    private static void TransposeTimesVector<T>(T* a, nint lda, int rowStart, int rowEnd, T* x, T* y, int start, int end, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ys = new Span<T>(y + start, end - start);
        if (beta == T.Zero)
        {
            ys.Clear();
        }
        else if (beta != T.One)
        {
            Level1.Scale(beta, ys);
        }
        int i = rowStart;
        int m = rowEnd;
        int width = end - start;
        if (Vector512.IsHardwareAccelerated && width >= Vector512<T>.Count)
        {
            for (; i + 4 <= m; i += 4)
            {
                Axpy4x512(a + i * lda + start, lda, alpha * x[i], alpha * x[i + 1], alpha * x[i + 2], alpha * x[i + 3], y + start, width);
            }
        }
        else if (Vector256.IsHardwareAccelerated && width >= Vector256<T>.Count)
        {
            for (; i + 4 <= m; i += 4)
            {
                Axpy4x256(a + i * lda + start, lda, alpha * x[i], alpha * x[i + 1], alpha * x[i + 2], alpha * x[i + 3], y + start, width);
            }
        }
        for (; i < m; i++)
        {
            Level1.AxpyAnyAlpha(alpha * x[i], new ReadOnlySpan<T>(a + i * lda + start, width), ys);
        }
    }

    /// <summary>y ← y + s0·a0 + s1·a1 + s2·a2 + s3·a3 (rows lda apart), in that order per element.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Axpy4x512<T>(T* a0, nint lda, T s0, T s1, T s2, T s3, T* y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        var v0 = Vector512.Create(s0);
        var v1 = Vector512.Create(s1);
        var v2 = Vector512.Create(s2);
        var v3 = Vector512.Create(s3);
        int w = Vector512<T>.Count;
        int j = 0;
        for (; j + w <= n; j += w)
        {
            Vector512<T> acc = Vector512.Load(y + j);
            acc = VectorMath.MultiplyAdd(v0, Vector512.Load(a0 + j), acc);
            acc = VectorMath.MultiplyAdd(v1, Vector512.Load(a1 + j), acc);
            acc = VectorMath.MultiplyAdd(v2, Vector512.Load(a2 + j), acc);
            acc = VectorMath.MultiplyAdd(v3, Vector512.Load(a3 + j), acc);
            acc.Store(y + j);
        }
        if (j < n)
        {
            // Overlapping last vector: lanes this pass already updated keep their value.
            int tail = n - w;
            Vector512<T> old = Vector512.Load(y + tail);
            Vector512<T> acc = VectorMath.MultiplyAdd(v0, Vector512.Load(a0 + tail), old);
            acc = VectorMath.MultiplyAdd(v1, Vector512.Load(a1 + tail), acc);
            acc = VectorMath.MultiplyAdd(v2, Vector512.Load(a2 + tail), acc);
            acc = VectorMath.MultiplyAdd(v3, Vector512.Load(a3 + tail), acc);
            Vector512.ConditionalSelect(VectorMath.LanesFrom512<T>(j - tail), acc, old).Store(y + tail);
        }
    }

    /// <inheritdoc cref="Axpy4x512{T}(T*, nint, T, T, T, T, T*, int)"/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Axpy4x256<T>(T* a0, nint lda, T s0, T s1, T s2, T s3, T* y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        var v0 = Vector256.Create(s0);
        var v1 = Vector256.Create(s1);
        var v2 = Vector256.Create(s2);
        var v3 = Vector256.Create(s3);
        int w = Vector256<T>.Count;
        int j = 0;
        for (; j + w <= n; j += w)
        {
            Vector256<T> acc = Vector256.Load(y + j);
            acc = VectorMath.MultiplyAdd(v0, Vector256.Load(a0 + j), acc);
            acc = VectorMath.MultiplyAdd(v1, Vector256.Load(a1 + j), acc);
            acc = VectorMath.MultiplyAdd(v2, Vector256.Load(a2 + j), acc);
            acc = VectorMath.MultiplyAdd(v3, Vector256.Load(a3 + j), acc);
            acc.Store(y + j);
        }
        if (j < n)
        {
            int tail = n - w;
            Vector256<T> old = Vector256.Load(y + tail);
            Vector256<T> acc = VectorMath.MultiplyAdd(v0, Vector256.Load(a0 + tail), old);
            acc = VectorMath.MultiplyAdd(v1, Vector256.Load(a1 + tail), acc);
            acc = VectorMath.MultiplyAdd(v2, Vector256.Load(a2 + tail), acc);
            acc = VectorMath.MultiplyAdd(v3, Vector256.Load(a3 + tail), acc);
            Vector256.ConditionalSelect(VectorMath.LanesFrom256<T>(j - tail), acc, old).Store(y + tail);
        }
    }
}
