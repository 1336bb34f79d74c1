using System.Buffers;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Activations;

/// <summary>
/// Inner products of the rows of W (m × d) with a few points X (n × d) that read W once: every pair
/// (r, ⟨w_r, x_i⟩) whose inner product is ≥ τ, per point in ascending r, without storing the n × m product
/// (<see cref="CompressGreaterOrEqual"/>, the kernel of dense Gauss-Newton for a shifted-ReLU layer, whose active
/// set is Q_i = { r : ⟨w_r, x_i⟩ ≥ b }), or all n·m products into a matrix (<see cref="All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, BlasOptions?)"/>, what a threshold
/// forest's leaves hold), with the same bits.
/// </summary>
/// <remarks>
/// <para><b>Why not Gemm and a scan.</b> With n ≤ 64 points the work is bound by reading W (m·d·4 bytes) or, from
/// about n = 16, by the multiply-adds; Gemm would also write the n·m products to memory and a scan read them back.
/// Here the points are packed transposed, 16 to a Vector512 (8 to a Vector256, 4 to a Vector128): for each k one
/// vector holds coordinate k of a group of points. Twelve rows of W at a time, each row r has one accumulator vector
/// and takes acc_r = fma(x[k], broadcast(w[r, k]), acc_r) for k = 0 … d − 1; afterwards lane p holds
/// ⟨w_r, x_p⟩ — no horizontal sums — and is compared with τ at once for all the group's points. More than one group
/// of points passes over the same twelve rows while they are in L1, so W is read once for any n.</para>
/// <para><b>Rounding.</b> Every product is exactly the sequential chain s = fma(w[k], x[k], s) from s = +0 over
/// k = 0, 1, …, d − 1 (every multiply-add fused, emulated where the hardware has no FMA). The bits therefore do not
/// depend on the vector width, the thread count, n, the group a point falls in or the strides, and equal a scalar
/// loop over <see cref="MathF.FusedMultiplyAdd"/>. They may differ from Gemm's, which sums in another order.</para>
/// <para><b>Inputs.</b> The data are not scanned for NaN or infinity (that would read W twice); a NaN product is
/// never ≥ τ, so it is never reported, and <see cref="All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, BlasOptions?)"/> stores it as it comes.</para>
/// <para><b>Threads.</b> Ranges of r run in parallel (up to <see cref="BlasOptions.MaxThreads"/>); each product is
/// computed the same way whatever the range, and the ranges' lists are joined in order, so the result has the
/// same bits for every thread count. Allocation-free after warm-up: scratch comes from <see cref="ArrayPool{T}"/>
/// and the per-range lists are kept per calling thread.</para>
/// </remarks>
public static unsafe class ThresholdProducts
{
    /// <summary>The lists of ranges 1, 2, … of a threaded call, kept per calling thread so that calls do not allocate.</summary>
    [ThreadStatic]
    private static ActiveSets[]? s_staging;

    /// <summary>
    /// Replaces every row i of <paramref name="destination"/> with the pairs (r, ⟨w_r, x_i⟩) for which
    /// ⟨w_r, x_i⟩ ≥ <paramref name="threshold"/> (ties included), in ascending r; the values are the bits
    /// <see cref="All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, BlasOptions?)"/> gives.
    /// </summary>
    /// <param name="weights">W, m × d: row r is neuron w_r. Any stride.</param>
    /// <param name="points">X, n × d: row i is point x_i. Any stride.</param>
    /// <param name="threshold">τ; ±∞ are allowed (−∞ selects every product that is not NaN, +∞ only products that
    /// overflowed to +∞).</param>
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
        Guard.RequireColumns(points, weights.Columns, nameof(points), "one row per point, d columns as in weights");
        if (destination.Rows != points.Rows)
        {
            throw new ArgumentException(
                $"destination has {destination.Rows} rows; it needs one per point (n = {points.Rows}).", nameof(destination));
        }
        var atLeastThreshold = new GreaterOrEqualPredicate<float>(threshold);

        int m = weights.Rows, n = points.Rows;
        destination.Clear();
        if (m == 0 || n == 0)
        {
            return;
        }
        int threads = Threads(m, n, weights.Columns, options);
        ActiveSets[] staging = threads == 1 ? [] : Staging(threads - 1, n);
        Run(weights, points, new ThresholdSink(atLeastThreshold, destination, staging), threads);
        for (int part = 0; part + 1 < threads; part++)
        {
            Append(staging[part], destination);
        }
    }

    /// <summary>
    /// Writes every inner product: <paramref name="destination"/>[i, r] = ⟨w_r, x_i⟩ for all points i and rows r, the
    /// bits <see cref="CompressGreaterOrEqual"/> reports.
    /// </summary>
    /// <param name="weights">W, m × d: row r is neuron w_r. Any stride.</param>
    /// <param name="points">X, n × d: row i is point x_i. Any stride.</param>
    /// <param name="destination">n × m, any stride; must not share memory with <paramref name="weights"/> or
    /// <paramref name="points"/>.</param>
    /// <param name="options">Threads; <see cref="BlasOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="points"/> has not d columns, <paramref name="destination"/>
    /// is not n × m, or it shares memory with an input. Nothing was written.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static void All(ReadOnlyMatrixView<float> weights, ReadOnlyMatrixView<float> points, MatrixView<float> destination,
        BlasOptions? options = null)
    {
        options ??= BlasOptions.Default;
        options.Validate();
        Guard.RequireColumns(points, weights.Columns, nameof(points), "one row per point, d columns as in weights");
        int m = weights.Rows, n = points.Rows;
        Guard.RequireShape<float>(destination, n, m, nameof(destination), "one row per point, one column per row of weights");
        Guard.RequireDisjoint<float>(weights, nameof(weights), destination, nameof(destination));
        Guard.RequireDisjoint<float>(points, nameof(points), destination, nameof(destination));
        if (m == 0 || n == 0)
        {
            return;
        }
        fixed (float* products = destination.Data)
        {
            Run(weights, points, new StoreSink(products, destination.Stride), Threads(m, n, weights.Columns, options));
        }
    }

    /// <summary>
    /// As <see cref="All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, BlasOptions?)"/>,
    /// with the points packed beforehand: the same bits, without packing them or renting scratch on each call, for
    /// callers that multiply the same few points by many small sets of rows (a threshold forest's updates).
    /// </summary>
    /// <param name="weights">W, m × d: row r is neuron w_r. Any stride.</param>
    /// <param name="points">X (n × d), packed.</param>
    /// <param name="destination">n × m, any stride; must not share memory with <paramref name="weights"/>.</param>
    /// <param name="options">Threads; <see cref="BlasOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="points"/> has not d columns, <paramref name="destination"/>
    /// is not n × m, or it shares memory with <paramref name="weights"/>. Nothing was written.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static void All(ReadOnlyMatrixView<float> weights, PackedPoints points, MatrixView<float> destination, BlasOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        options ??= BlasOptions.Default;
        options.Validate();
        if (points.Columns != weights.Columns)
        {
            throw new ArgumentException(
                $"points has {points.Columns} columns; it needs d = {weights.Columns}, as weights has.", nameof(points));
        }
        int m = weights.Rows, n = points.Rows;
        Guard.RequireShape<float>(destination, n, m, nameof(destination), "one row per point, one column per row of weights");
        Guard.RequireDisjoint<float>(weights, nameof(weights), destination, nameof(destination));
        if (m == 0 || n == 0)
        {
            return;
        }
        fixed (float* products = destination.Data)
        {
            Run(weights, points.Packed, points.Layout, new StoreSink(products, destination.Stride), Threads(m, n, weights.Columns, options));
        }
    }

    /// <summary>Threads for m·n·d multiply-adds split into ranges of whole blocks of rows.</summary>
    private static int Threads(int m, int n, int d, BlasOptions options) =>
        options.ThreadsFor((long)m * n * Math.Max(d, 1), Math.Max(1, m / ProductKernel.BlockRows));

    /// <summary>Packs the points (into pooled scratch) and runs the kernel over ranges of rows, part p into its copy of <paramref name="sink"/>.</summary>
    private static void Run<TSink>(ReadOnlyMatrixView<float> weights, ReadOnlyMatrixView<float> points, TSink sink, int threads)
        where TSink : struct, IProductSink
    {
        var layout = new TransposedPoints(points.Rows, weights.Columns);
        float[] packed = ArrayPool<float>.Shared.Rent(Math.Max(1, layout.Length));
        try
        {
            layout.Pack(points, packed);
            Run(weights, packed, layout, sink, threads);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packed);
        }
    }

    /// <summary>Runs the kernel over ranges of rows against points already packed as <paramref name="layout"/> says.</summary>
    private static void Run<TSink>(ReadOnlyMatrixView<float> weights, float[] packed, TransposedPoints layout, TSink sink, int threads)
        where TSink : struct, IProductSink
    {
        fixed (float* w = weights.Data)
        fixed (float* x = packed)
        {
            ParallelParts.Run(new Parts<TSink>(w, weights.Stride, weights.Rows, x, layout, sink, threads), threads);
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
    /// Part p takes a contiguous range of whole blocks of rows of W (the last part also the rows after the last whole
    /// block); ranges ascend with p, so joining the parts' lists in order keeps every point's list ascending.
    /// </summary>
    private readonly struct Parts<TSink>(float* weights, nint stride, int m, float* packed, TransposedPoints layout, TSink sink, int parts) : IParts
        where TSink : struct, IProductSink
    {
        public void Run(int part)
        {
            int blocks = m / ProductKernel.BlockRows;
            int start = (int)((long)part * blocks / parts) * ProductKernel.BlockRows;
            int end = part == parts - 1 ? m : (int)((long)(part + 1) * blocks / parts) * ProductKernel.BlockRows;
            TSink mine = sink;
            mine.Begin(part);
            ProductKernel.Rows(weights, stride, packed, layout, start, end, ref mine);
            mine.End(part);
        }
    }
}
