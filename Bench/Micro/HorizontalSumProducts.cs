using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Kernels.Activations;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Bench.Micro;

/// <summary>
/// The previous <c>ThresholdProducts</c> kernel (until 2026-12-04), kept only as a benchmark baseline for
/// <see cref="InnerProductBenchmarks"/>: each row of W dotted with the points along d, 4 rows × 4 points per
/// register block, then fixed-order horizontal sums. The library's kernel replaced it with the broadcast kernel on
/// transposed points, which needs no horizontal sums.
/// </summary>
internal static unsafe class HorizontalSumProducts
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
            Run<HorizontalSumLanes512, Vector512<float>>(weights, points, atLeastThreshold, destination, options);
        }
        else if (Vector256.IsHardwareAccelerated && d >= Vector256<float>.Count)
        {
            Run<HorizontalSumLanes256, Vector256<float>>(weights, points, atLeastThreshold, destination, options);
        }
        else if (Vector128.IsHardwareAccelerated && d >= Vector128<float>.Count)
        {
            Run<HorizontalSumLanes128, Vector128<float>>(weights, points, atLeastThreshold, destination, options);
        }
        else
        {
            Run<HorizontalSumLanesScalar, float>(weights, points, atLeastThreshold, destination, options);
        }
    }

    private static void Run<TLanes, TVector>(ReadOnlyMatrixView<float> weights, ReadOnlyMatrixView<float> points, GreaterOrEqualPredicate<float> atLeastThreshold,
        ActiveSets destination, BlasOptions options)
        where TLanes : struct, IHorizontalSumLanes<TVector>
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
        where TLanes : struct, IHorizontalSumLanes<TVector>
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
            Emit(target, counts, i, r, rowMask, HorizontalSumFolds.Of(TLanes.Fold(a00), TLanes.Fold(a10), TLanes.Fold(a20), TLanes.Fold(a30)));
            if (points > 1)
            {
                Emit(target, counts, i + 1, r, rowMask, HorizontalSumFolds.Of(TLanes.Fold(a01), TLanes.Fold(a11), TLanes.Fold(a21), TLanes.Fold(a31)));
            }
            if (points > 2)
            {
                Emit(target, counts, i + 2, r, rowMask, HorizontalSumFolds.Of(TLanes.Fold(a02), TLanes.Fold(a12), TLanes.Fold(a22), TLanes.Fold(a32)));
            }
            if (points > 3)
            {
                Emit(target, counts, i + 3, r, rowMask, HorizontalSumFolds.Of(TLanes.Fold(a03), TLanes.Fold(a13), TLanes.Fold(a23), TLanes.Fold(a33)));
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

/// <summary>
/// The vector operations of <see cref="HorizontalSumProducts"/>'s dot-product block for one vector width, so that the
/// block is written once and specialized by the JIT per width (a struct type argument). <typeparamref name="TVector"/>
/// holds <see cref="Width"/> floats: a Vector512, Vector256 or Vector128 of float, or a single float.
/// </summary>
internal interface IHorizontalSumLanes<TVector> where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Width { get; }

    /// <summary>The vector of zeros.</summary>
    static abstract TVector Zero { get; }

    /// <summary>Loads <see cref="Width"/> floats starting <paramref name="offset"/> elements past <paramref name="source"/>.</summary>
    static abstract TVector Load(ref float source, nint offset);

    /// <summary>As <see cref="Load"/>, with lanes below <paramref name="firstLane"/> set to zero: the new lanes of an overlapping tail.</summary>
    static abstract TVector LoadFrom(ref float source, nint offset, int firstLane);

    /// <summary><c>a·b + c</c>, fused where the hardware fuses.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>The vector folded to four lanes whose sum is the sum of all lanes (halves added, in a fixed order).</summary>
    static abstract Vector128<float> Fold(TVector v);
}

/// <summary>512-bit lanes.</summary>
internal readonly struct HorizontalSumLanes512 : IHorizontalSumLanes<Vector512<float>>
{
    public static int Width => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint offset) => Vector512.LoadUnsafe(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadFrom(ref float source, nint offset, int firstLane) =>
        Load(ref source, offset) & VectorMath.LanesFrom512<float>(firstLane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(Vector512<float> v)
    {
        Vector256<float> half = v.GetLower() + v.GetUpper();
        return half.GetLower() + half.GetUpper();
    }
}

/// <summary>256-bit lanes.</summary>
internal readonly struct HorizontalSumLanes256 : IHorizontalSumLanes<Vector256<float>>
{
    public static int Width => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nint offset) => Vector256.LoadUnsafe(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadFrom(ref float source, nint offset, int firstLane) =>
        Load(ref source, offset) & VectorMath.LanesFrom256<float>(firstLane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(Vector256<float> v) => v.GetLower() + v.GetUpper();
}

/// <summary>128-bit lanes.</summary>
internal readonly struct HorizontalSumLanes128 : IHorizontalSumLanes<Vector128<float>>
{
    public static int Width => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nint offset) => Vector128.LoadUnsafe(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadFrom(ref float source, nint offset, int firstLane) =>
        Load(ref source, offset) & VectorMath.LanesFrom128<float>(firstLane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(Vector128<float> v) => v;
}

/// <summary>One float per "vector", for runs without hardware intrinsics and for d below the narrowest vector.</summary>
internal readonly struct HorizontalSumLanesScalar : IHorizontalSumLanes<float>
{
    public static int Width => 1;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nint offset) => Unsafe.Add(ref source, offset);

    /// <summary>A one-lane vector never overlaps, so <paramref name="firstLane"/> is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadFrom(ref float source, nint offset, int firstLane) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(float v) => Vector128.CreateScalar(v);
}

/// <summary>The sums of four folded vectors at once, for <see cref="HorizontalSumProducts"/>'s compare with τ.</summary>
internal static class HorizontalSumFolds
{
    /// <summary>
    /// Lane k holds the sum of the four lanes of the k-th argument: two rounds of pairwise horizontal adds where SSE3
    /// has them (three instructions for four sums), else a fixed-order sum per vector. The order is fixed per machine,
    /// so results do not depend on threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Of(Vector128<float> v0, Vector128<float> v1, Vector128<float> v2, Vector128<float> v3)
    {
        if (Sse3.IsSupported)
        {
            return Sse3.HorizontalAdd(Sse3.HorizontalAdd(v0, v1), Sse3.HorizontalAdd(v2, v3));
        }
        return Vector128.Create(Pairwise(v0), Pairwise(v1), Pairwise(v2), Pairwise(v3));
    }

    /// <summary>(v₀ + v₁) + (v₂ + v₃), the order of the SSE3 path.</summary>
    private static float Pairwise(Vector128<float> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
}
