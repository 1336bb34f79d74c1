using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Activations;

/// <summary>
/// The dense producer of active sets: for weights W (m × d) and a few points X (n × d), every pair
/// (r, ⟨w_r, x_i⟩) whose inner product is ≥ τ, per point in ascending r, without storing the n × m product.
/// The kernel of dense Gauss-Newton for a shifted-ReLU layer (active set Q_i = { r : ⟨w_r, x_i⟩ ≥ b }).
/// </summary>
/// <remarks>
/// <para><b>Why not Gemm and a scan.</b> With n ≤ 64 points the work is bound by reading W (m·d·4 bytes), not by
/// arithmetic. This kernel reads each row of W once, dots it with all points (packed, zero-padded, in L1/L2) four rows
/// and four points at a time with sixteen vector accumulators, folds each point's four sums into one vector with
/// pairwise horizontal adds and compares them with τ at once; Gemm would write
/// the n·m products to memory and a scan would read them back. More than 64 points are taken 64 at a time, each
/// group reading W again.</para>
/// <para><b>Cost.</b> The horizontal sums cost about as much as the multiply-adds at d = 128, so the kernel is
/// compute-bound well before it is bound by reading W once n grows past about 16 (on a loaded 2-core machine it ran
/// 1.6× slower than Gemm plus a scan at n = 16 and 2.6× at n = 64, m = 2¹⁸, d = 128). A kernel that packs 16 rows of
/// W transposed and broadcasts the points (no horizontal sums) would remove that cost.</para>
/// <para><b>Rounding.</b> Each product is a vectorized dot product: per-lane partial sums over d, then a fixed-order
/// horizontal sum. It may differ from Gemm's result in the last bits (both lie within the usual d·ε·Σ|w·x| of the
/// exact value); where the products and sums are exact (small integers, say) they agree bit for bit.</para>
/// <para><b>Threads.</b> Ranges of r run in parallel (up to <see cref="BlasOptions.MaxThreads"/>); each product is
/// computed the same way whatever the range, and the ranges' lists are joined in order, so the result has the
/// same bits for every thread count. Allocation-free after warm-up: scratch comes from <see cref="ArrayPool{T}"/>
/// and the per-range lists are kept per calling thread.</para>
/// </remarks>
public static unsafe class ThresholdProducts
{
    /// <summary>Rows of W dotted together: their loads are shared by four points.</summary>
    private const int RowsPerBlock = 4;

    /// <summary>Points dotted together: their loads are shared by four rows.</summary>
    private const int PointsPerGroup = 4;

    /// <summary>Points per pass over W; 64 points of d = 128 take 32 KiB, which stays in L1.</summary>
    private const int PointsPerPass = 64;

    /// <summary>The lists of ranges 1, 2, … of a threaded call, kept per calling thread so that calls do not allocate.</summary>
    [ThreadStatic]
    private static ActiveSets[]? s_staging;

    /// <summary>
    /// Replaces every row i of <paramref name="destination"/> with the pairs (r, ⟨w_r, x_i⟩) for which
    /// ⟨w_r, x_i⟩ ≥ <paramref name="threshold"/> (ties included), in ascending r.
    /// </summary>
    /// <param name="weights">W, m × d: row r is neuron w_r. Any stride.</param>
    /// <param name="points">X, n × d: row i is point x_i. Any stride.</param>
    /// <param name="threshold">τ; ±∞ are allowed (−∞ selects every finite product, +∞ none).</param>
    /// <param name="destination">n rows; grows where a row needs more room.</param>
    /// <param name="options">Threads; <see cref="BlasOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="points"/> has not d columns, or <paramref name="destination"/>
    /// has not n rows. Nothing was written.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is NaN, or an option is out of range.</exception>
    public static void CompressGreaterOrEqual(ReadOnlyMatrixView<float> weights, ReadOnlyMatrixView<float> points, float threshold,
        ActiveSets destination, BlasOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        options ??= BlasOptions.Default;
        options.Validate();
        if (points.Columns != weights.Columns)
        {
            throw new ArgumentException(
                $"points has {points.Columns} columns; it needs d = {weights.Columns}, as many as weights.", nameof(points));
        }
        if (destination.Rows != points.Rows)
        {
            throw new ArgumentException(
                $"destination has {destination.Rows} rows; it needs one per point (n = {points.Rows}).", nameof(destination));
        }
        var atLeastThreshold = new GreaterOrEqualPredicate<float>(threshold);

        int d = weights.Columns;
        if (Vector512.IsHardwareAccelerated && d >= Vector512<float>.Count)
        {
            Run<ProductLanes512, Vector512<float>>(weights, points, atLeastThreshold, destination, options);
        }
        else if (Vector256.IsHardwareAccelerated && d >= Vector256<float>.Count)
        {
            Run<ProductLanes256, Vector256<float>>(weights, points, atLeastThreshold, destination, options);
        }
        else if (Vector128.IsHardwareAccelerated && d >= Vector128<float>.Count)
        {
            Run<ProductLanes128, Vector128<float>>(weights, points, atLeastThreshold, destination, options);
        }
        else
        {
            Run<ProductLanesScalar, float>(weights, points, atLeastThreshold, destination, options);
        }
    }

    private static void Run<TLanes, TVector>(ReadOnlyMatrixView<float> weights, ReadOnlyMatrixView<float> points, GreaterOrEqualPredicate<float> atLeastThreshold,
        ActiveSets destination, BlasOptions options)
        where TLanes : struct, IProductLanes<TVector>
        where TVector : struct
    {
        int m = weights.Rows, n = points.Rows, d = weights.Columns;
        destination.Clear();
        if (m == 0 || n == 0)
        {
            return;
        }
        int packedLength = (d + TLanes.Width - 1) / TLanes.Width * TLanes.Width;
        int paddedPoints = (n + PointsPerGroup - 1) / PointsPerGroup * PointsPerGroup;
        float[] packed = ArrayPool<float>.Shared.Rent(Math.Max(1, paddedPoints * packedLength));
        try
        {
            Pack(points, TLanes.Width, packedLength, packed.AsSpan(0, paddedPoints * packedLength));
            int blocks = (m + RowsPerBlock - 1) / RowsPerBlock;
            int threads = options.ThreadsFor((long)m * n * Math.Max(d, 1), blocks);
            ActiveSets[] staging = threads == 1 ? [] : Staging(threads - 1, n);
            fixed (float* w = weights.Data)
            {
                var work = new Parts<TLanes, TVector>(w, weights.Stride, m, d, packed, packedLength, n, atLeastThreshold, destination, staging, threads);
                if (threads == 1)
                {
                    work.Run(0);
                }
                else
                {
                    ParallelParts.Run(work, threads);
                }
            }
            for (int part = 0; part + 1 < threads; part++)
            {
                Append(staging[part], destination);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packed);
        }
    }

    /// <summary>
    /// Copies point i to row i of <paramref name="packed"/> (rows of <paramref name="packedLength"/> floats) in the
    /// order the kernel reads it: the whole vectors of x_i, then, if d is not a multiple of the width, the last
    /// <paramref name="width"/> elements of x_i with the lanes already covered set to zero (the kernel reads W's
    /// tail the same way, overlapping, and zeroes those lanes too). Padding points are zero.
    /// </summary>
    private static void Pack(ReadOnlyMatrixView<float> points, int width, int packedLength, Span<float> packed)
    {
        packed.Clear();
        int d = points.Columns;
        int whole = d / width * width;
        for (int i = 0; i < points.Rows; i++)
        {
            ReadOnlySpan<float> x = points.Row(i);
            Span<float> row = packed.Slice(i * packedLength, packedLength);
            x[..whole].CopyTo(row);
            if (whole < d)
            {
                int covered = width - (d - whole);
                x[(d - width + covered)..].CopyTo(row[(whole + covered)..]);
            }
        }
    }

    /// <summary>This thread's <paramref name="count"/> staging sets of <paramref name="rows"/> rows.</summary>
    private static ActiveSets[] Staging(int count, int rows)
    {
        ActiveSets[] staging = s_staging ??= [];
        if (staging.Length < count)
        {
            Array.Resize(ref staging, count);
            s_staging = staging;
        }
        for (int s = 0; s < count; s++)
        {
            if (staging[s] is null || staging[s].Rows != rows)
            {
                staging[s] = new ActiveSets(rows);
            }
        }
        return staging;
    }

    /// <summary>Appends each row of <paramref name="source"/> to the same row of <paramref name="destination"/>.</summary>
    private static void Append(ActiveSets source, ActiveSets destination)
    {
        for (int i = 0; i < destination.Rows; i++)
        {
            int count = source.Count(i);
            if (count == 0)
            {
                continue;
            }
            int start = destination.Count(i);
            destination.Reserve(i, start + count);
            source.Indices(i).CopyTo(destination.WritableIndices(i)[start..]);
            source.Values(i).CopyTo(destination.WritableValues(i)[start..]);
            destination.Commit(i, start + count);
        }
    }

    /// <summary>
    /// Part p takes a contiguous range of rows of W (whole blocks of four) and writes its pairs to the destination
    /// (p = 0) or to staging set p − 1; ranges ascend with p, so joining them in order keeps every row ascending.
    /// </summary>
    private readonly struct Parts<TLanes, TVector>(
        float* weights, int stride, int m, int d, float[] packed, int packedLength, int n, GreaterOrEqualPredicate<float> atLeastThreshold,
        ActiveSets destination, ActiveSets[] staging, int parts) : IParts
        where TLanes : struct, IProductLanes<TVector>
        where TVector : struct
    {
        public void Run(int part)
        {
            int blocks = (m + RowsPerBlock - 1) / RowsPerBlock;
            int start = (int)((long)part * blocks / parts) * RowsPerBlock;
            int end = Math.Min(m, (int)((long)(part + 1) * blocks / parts) * RowsPerBlock);
            ActiveSets target = part == 0 ? destination : staging[part - 1];
            target.Clear();
            int[] counts = ArrayPool<int>.Shared.Rent(n);
            try
            {
                Array.Clear(counts, 0, n);
                for (int first = 0; first < n; first += PointsPerPass)
                {
                    int groupEnd = Math.Min(n, first + PointsPerPass);
                    Range(start, end, first, groupEnd, target, counts);
                }
                for (int i = 0; i < n; i++)
                {
                    target.Commit(i, counts[i]);
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(counts);
            }
        }

        /// <summary>Rows [<paramref name="start"/>, <paramref name="end"/>) of W against points [<paramref name="first"/>, <paramref name="last"/>).</summary>
        private void Range(int start, int end, int first, int last, ActiveSets target, int[] counts)
        {
            fixed (float* x = packed)
            {
                int r = start;
                for (; r + RowsPerBlock <= end; r += RowsPerBlock)
                {
                    for (int i = first; i < last; i += PointsPerGroup)
                    {
                        Block(r, RowsPerBlock, x, i, Math.Min(PointsPerGroup, last - i), target, counts);
                    }
                }
                for (; r < end; r++)
                {
                    for (int i = first; i < last; i += PointsPerGroup)
                    {
                        Block(r, 1, x, i, Math.Min(PointsPerGroup, last - i), target, counts);
                    }
                }
            }
        }

        /// <summary>
        /// The 4 × 4 dot products of rows r … r + 3 of W and packed points i … i + 3 (rows past
        /// <paramref name="rows"/> repeat row r and are ignored, as are padding points past <paramref name="points"/>),
        /// then the pairs ≥ τ appended point by point.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Block(int r, int rows, float* x, int i, int points, ActiveSets target, int[] counts)
        {
            int width = TLanes.Width;
            int whole = d / width * width;
            ref float w0 = ref *(weights + (nint)r * stride);
            ref float w1 = ref *(weights + (nint)(rows > 1 ? r + 1 : r) * stride);
            ref float w2 = ref *(weights + (nint)(rows > 2 ? r + 2 : r) * stride);
            ref float w3 = ref *(weights + (nint)(rows > 3 ? r + 3 : r) * stride);
            ref float x0 = ref *(x + (nint)i * packedLength);
            ref float x1 = ref Unsafe.Add(ref x0, packedLength);
            ref float x2 = ref Unsafe.Add(ref x1, packedLength);
            ref float x3 = ref Unsafe.Add(ref x2, packedLength);
            TVector a00 = TLanes.Zero, a01 = TLanes.Zero, a02 = TLanes.Zero, a03 = TLanes.Zero;
            TVector a10 = TLanes.Zero, a11 = TLanes.Zero, a12 = TLanes.Zero, a13 = TLanes.Zero;
            TVector a20 = TLanes.Zero, a21 = TLanes.Zero, a22 = TLanes.Zero, a23 = TLanes.Zero;
            TVector a30 = TLanes.Zero, a31 = TLanes.Zero, a32 = TLanes.Zero, a33 = TLanes.Zero;
            for (int k = 0; k < packedLength; k += width)
            {
                TVector v0, v1, v2, v3;
                if (k < whole)
                {
                    v0 = TLanes.Load(ref w0, k);
                    v1 = TLanes.Load(ref w1, k);
                    v2 = TLanes.Load(ref w2, k);
                    v3 = TLanes.Load(ref w3, k);
                }
                else
                {
                    // The tail re-reads the last whole vector's end; those lanes are zeroed here and in the packed points.
                    int covered = width - (d - whole);
                    v0 = TLanes.LoadFrom(ref w0, d - width, covered);
                    v1 = TLanes.LoadFrom(ref w1, d - width, covered);
                    v2 = TLanes.LoadFrom(ref w2, d - width, covered);
                    v3 = TLanes.LoadFrom(ref w3, d - width, covered);
                }
                TVector y = TLanes.Load(ref x0, k);
                a00 = TLanes.MultiplyAdd(v0, y, a00);
                a10 = TLanes.MultiplyAdd(v1, y, a10);
                a20 = TLanes.MultiplyAdd(v2, y, a20);
                a30 = TLanes.MultiplyAdd(v3, y, a30);
                y = TLanes.Load(ref x1, k);
                a01 = TLanes.MultiplyAdd(v0, y, a01);
                a11 = TLanes.MultiplyAdd(v1, y, a11);
                a21 = TLanes.MultiplyAdd(v2, y, a21);
                a31 = TLanes.MultiplyAdd(v3, y, a31);
                y = TLanes.Load(ref x2, k);
                a02 = TLanes.MultiplyAdd(v0, y, a02);
                a12 = TLanes.MultiplyAdd(v1, y, a12);
                a22 = TLanes.MultiplyAdd(v2, y, a22);
                a32 = TLanes.MultiplyAdd(v3, y, a32);
                y = TLanes.Load(ref x3, k);
                a03 = TLanes.MultiplyAdd(v0, y, a03);
                a13 = TLanes.MultiplyAdd(v1, y, a13);
                a23 = TLanes.MultiplyAdd(v2, y, a23);
                a33 = TLanes.MultiplyAdd(v3, y, a33);
            }
            // Point by point, rows ascending: each point's list stays in ascending r. The four sums of a point come
            // out in one vector and are compared with τ at once; most blocks have no match and emit nothing.
            uint rowMask = (1u << rows) - 1;
            Emit(target, counts, i, r, rowMask, FoldedSums.Of(TLanes.Fold(a00), TLanes.Fold(a10), TLanes.Fold(a20), TLanes.Fold(a30)));
            if (points > 1)
            {
                Emit(target, counts, i + 1, r, rowMask, FoldedSums.Of(TLanes.Fold(a01), TLanes.Fold(a11), TLanes.Fold(a21), TLanes.Fold(a31)));
            }
            if (points > 2)
            {
                Emit(target, counts, i + 2, r, rowMask, FoldedSums.Of(TLanes.Fold(a02), TLanes.Fold(a12), TLanes.Fold(a22), TLanes.Fold(a32)));
            }
            if (points > 3)
            {
                Emit(target, counts, i + 3, r, rowMask, FoldedSums.Of(TLanes.Fold(a03), TLanes.Fold(a13), TLanes.Fold(a23), TLanes.Fold(a33)));
            }
        }

        /// <summary>Appends to point <paramref name="i"/>'s list each row r + k (k a bit of <paramref name="rowMask"/>) whose
        /// sum, lane k of <paramref name="sums"/>, is ≥ τ.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Emit(ActiveSets target, int[] counts, int i, int r, uint rowMask, Vector128<float> sums)
        {
            foreach (int k in new SetBits(atLeastThreshold.Test(sums).ExtractMostSignificantBits() & rowMask))
            {
                Add(target, counts, i, r + k, sums.GetElement(k));
            }
        }

        private static void Add(ActiveSets target, int[] counts, int i, int r, float value)
        {
            int count = counts[i];
            if (count == target.Capacity(i))
            {
                target.Reserve(i, count + 1);
            }
            target.WritableIndices(i)[count] = r;
            target.WritableValues(i)[count] = value;
            counts[i] = count + 1;
        }
    }
}
