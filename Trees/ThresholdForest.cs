using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kernels.Activations;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Trees;

/// <summary>
/// A threshold search forest (seed 002, Algorithms 2–4): for n data points x₀ … x_{n−1} and m neurons
/// w₀ … w_{m−1} in ℝ^d, one max-tree per data point whose leaves are the inner products ⟨w_j, x_i⟩. It reports,
/// for a point i and a threshold τ, every neuron j with ⟨w_j, x_i⟩ ≥ τ — the neurons x_i activates — in time
/// proportional to the answer rather than to m, and keeps the answers current as neurons change.
/// </summary>
/// <remarks>
/// <para><b>Operations and costs.</b> Construction (the paper's Init) and <see cref="UpdateAll"/> compute all n·m
/// leaves with one <see cref="ThresholdProducts.All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, Kernels.Blas.BlasOptions?)"/> per storage array (one, unless n·m approaches 2³¹) and build
/// the maxima bottom-up: O(nmd).
/// <see cref="Update"/> recomputes one neuron's n leaves with one <see cref="ThresholdProducts.All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, Kernels.Blas.BlasOptions?)"/> and repairs the n
/// root paths: O(n(d + log m)). <see cref="UpdateMany"/> takes its U neurons in cache-sized batches: for each, one
/// <see cref="ThresholdProducts.All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, Kernels.Blas.BlasOptions?)"/> computes the batch's leaves, and each tree is repaired level by level, touching
/// every affected ancestor once. <see cref="Refresh"/> does the same for rows the caller rewrote in place in a
/// borrowed W, with the leaf products and the tree writes fused per aligned range of neurons, and
/// <see cref="Rewrite{TRewriter}"/> for rows it rewrites itself, through the caller's <see cref="IRowRewriter"/>, as it
/// gathers them: each row is read from memory once.
/// <see cref="Query(int, float, Span{int}, Span{float})"/> costs O(K log m) for K reported neurons (the binary layout) or O(K·log₁₆ m) node visits
/// (the wide layout).</para>
/// <para><b>Answers.</b> A query reports j exactly when the cached value <see cref="Value"/>(i, j) is ≥ τ; ties
/// at τ are included. Neurons come out in ascending order, in both layouts. Both layouts hold bit-identical leaves
/// and give identical answers.</para>
/// <para><b>Rounding.</b> Every leaf, whichever operation wrote it, is the fused chain s = fma(w_j[k], x_i[k], s) over
/// k = 0 … d − 1 (<see cref="ThresholdProducts"/>): the same bits as <see cref="ThresholdProducts.CompressGreaterOrEqual"/>
/// reports, so a forest and a dense scan find the same active sets with the same values. Queries are exact with respect
/// to the cached values.</para>
/// <para><b>Memory.</b> Each tree holds its m leaves and the internal maxima: about m·(1 + 1/(B − 1)) floats for
/// fan-out B, that is m·16/15 for <see cref="ForestLayout.Wide"/> (plus at most 15 padding floats per level) and
/// 2·2^⌈log₂ m⌉ for <see cref="ForestLayout.Binary"/>. In all, n·(tree length)·4 bytes
/// (<see cref="TreeBytes"/>, which may exceed 2³¹), plus a copy of X (n·d floats) and, unless the forest borrows it,
/// a copy of W (m·d floats). The trees are spread over as many pinned arrays as needed, so n·m may exceed the length
/// of one array.</para>
/// <para><b>The one copy of W.</b> W is the largest allocation after the trees (m·d floats), so there should be one
/// copy of it. The constructor copies W, and that copy is then the one a user reads through <see cref="Weights"/>.
/// <see cref="Borrow"/> instead builds the forest over the caller's own writable W (a model's weights), which the
/// updates then write in place: the caller keeps its W and the forest adds only the trees and X. Either way W
/// changes only through <see cref="Update"/>, <see cref="UpdateMany"/> or <see cref="UpdateAll"/>, which keep W and
/// the leaves consistent, by <see cref="Rewrite{TRewriter}"/>, which writes the rows its rewriter computes and their
/// leaves, or (borrowed W only) by the caller in place, followed by <see cref="Refresh"/> of the rows it wrote.</para>
/// <para><b>Active sets.</b> <see cref="Query(int, float, Span{int}, Span{float})"/> returns the neurons x_i activates
/// with their cached inner products, and <see cref="QueryAll"/> fills a caller-owned <see cref="ActiveSets"/> for all
/// n points without allocating; <see cref="ThresholdProducts"/> computes the same sets densely.</para>
/// <para><b>Inputs.</b> Weights and data must be finite (NaN would break the max order), and
/// d·max|w|·max|x| must not exceed float.MaxValue/2, which guarantees that no inner product overflows to ±∞.
/// Violations throw <see cref="ArgumentException"/> before anything changes.</para>
/// <para><b>Threads.</b> <see cref="Query(int, float, Span{int}, Span{float})"/>, <see cref="Count"/>, <see cref="QueryAll"/>, <see cref="Value"/> and
/// <see cref="Values"/> only read, and may run concurrently with one another. <see cref="Update"/>,
/// <see cref="UpdateMany"/> and <see cref="UpdateAll"/> need exclusive access: no other call may run on the same
/// forest meanwhile. The forest does not lock; that is the caller's contract. <see cref="QueryAll"/>,
/// <see cref="UpdateMany"/> and <see cref="UpdateAll"/> process the trees in parallel (up to
/// <see cref="BlasOptions.MaxThreads"/>); the trees are independent, so results never depend on the thread count.</para>
/// </remarks>
public sealed class ThresholdForest
{
    private readonly TreeLayout _layout;
    private readonly TreeStorage _storage;
    private readonly BlasOptions _options;
    private readonly Memory<float> _weights;
    private readonly float[] _data;
    private readonly PackedPoints _packed;
    private readonly float _dataMagnitude;

    /// <summary>
    /// Bytes of new rows one <see cref="UpdateMany"/> batch takes at most. A batch's rows are read twice (by the
    /// leaf products and by the copy into W) and its n·U new leaves written and read once; at 4 MiB (and 16 trees
    /// of leaves at d ≥ 32, at most as much again) all of that stays in the last-level cache, so the rows come from
    /// memory once.
    /// </summary>
    private const int BatchBytes = 4 << 20;

    /// <summary>Most neurons one <see cref="UpdateMany"/> batch updates.</summary>
    private readonly int _batchNeurons;

    /// <summary>
    /// The largest d·max|w|·max|x| the forest accepts for its rows and points (<see cref="float.MaxValue"/>/2): under it
    /// no inner product, nor any partial sum of one, can overflow float. Rows or points beyond it are rejected with
    /// <see cref="ArgumentException"/> before anything changes.
    /// </summary>
    public const double InnerProductLimit = ForestGuard.InnerProductLimit;

    /// <summary>
    /// Rows per block of <see cref="LeafProducts"/>: 48 KiB of rows at d = 128 (more than a 32 KiB L1, so a block is
    /// read from L2 while its products are computed), a multiple of the product kernel's twelve-row blocks.
    /// </summary>
    private const int LeafBlockRows = 96;

    /// <summary>How many rows ahead <see cref="CopyRows"/> and <see cref="GatheredProducts{TRewriter}"/> prefetch the rows they read.</summary>
    private const int CopyDistance = 16;

    /// <summary>Scratch for the n new leaves of <see cref="Update"/>, so that it does not allocate.</summary>
    private readonly float[] _column;

    /// <summary>Scratch of <see cref="UpdateMany"/>, grown to the largest batch seen.</summary>
    private readonly BatchScratch _scratch = new();

    /// <summary>
    /// Builds the forest for <paramref name="weights"/> W (m × d, row j is neuron w_j) and <paramref name="data"/>
    /// X (n × d, row i is data point x_i): computes every leaf ⟨w_j, x_i⟩ (<see cref="ThresholdProducts.All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, Kernels.Blas.BlasOptions?)"/>) and every internal maximum.
    /// Both matrices are copied; <see cref="Borrow"/> builds a forest that works on the caller's W instead.
    /// </summary>
    /// <param name="weights">The m × d weights, m ≥ 1.</param>
    /// <param name="data">The n × d data points, n ≥ 1, with the same d.</param>
    /// <param name="layout">How each tree is stored; <see cref="ForestLayout.Wide"/> unless you need the reference.</param>
    /// <param name="options">Threads for the inner products and per-tree loops; <see cref="BlasOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">m or n is 0, the column counts differ, an element is NaN or infinite,
    /// an inner product could overflow, or one tree would exceed an array's length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layout"/> is not defined, or an option is out of range.</exception>
    public ThresholdForest(ReadOnlyMatrixView<float> weights, ReadOnlyMatrixView<float> data, ForestLayout layout = ForestLayout.Wide,
        BlasOptions? options = null)
        : this(weights, default, data, layout, options, Array.MaxLength, 0)
    {
    }

    /// <summary>As the public constructor, with at most <paramref name="maxSlabLength"/> floats per storage array and
    /// <paramref name="batchNeurons"/> neurons per <see cref="UpdateMany"/> batch (0: sized by <see cref="BatchBytes"/>),
    /// so that tests can spread small forests over several arrays and small updates over several batches.</summary>
    internal ThresholdForest(ReadOnlyMatrixView<float> weights, ReadOnlyMatrixView<float> data, ForestLayout layout,
        BlasOptions? options, int maxSlabLength, int batchNeurons = 0)
        : this(weights, default, data, layout, options, maxSlabLength, batchNeurons)
    {
    }

    /// <summary>
    /// Builds the forest over the caller's weights: <paramref name="weights"/> holds W (m × d) row-major and
    /// contiguous, row j being neuron w_j, and the forest keeps a reference to it instead of a copy. The updates
    /// (<see cref="Update"/>, <see cref="UpdateMany"/>, <see cref="UpdateAll"/>) write their new rows there, so the
    /// caller's W stays current and is the only copy; <see cref="Weights"/> views it. X is copied, as by the
    /// constructor.
    /// </summary>
    /// <remarks>
    /// The caller lends W for the life of the forest: it may read W at any time the forest is not being updated,
    /// and write it either through the forest's updates or in place, rows of its choice, followed by
    /// <see cref="Refresh"/> of exactly those rows before the next query (otherwise the leaves would no longer match
    /// W, and a query would answer for weights that are gone). The forest does not check this.
    /// </remarks>
    /// <param name="weights">The m × d weights, m·d floats, row-major; m ≥ 1.</param>
    /// <param name="neurons">m, the number of rows of <paramref name="weights"/>.</param>
    /// <param name="data">The n × d data points, n ≥ 1.</param>
    /// <param name="layout">How each tree is stored; <see cref="ForestLayout.Wide"/> unless you need the reference.</param>
    /// <param name="options">Threads for the products and per-tree loops; <see cref="BlasOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="neurons"/> is below 1, <paramref name="layout"/> is
    /// not defined, or an option is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="weights"/> does not hold m·d floats, n is 0, an element is NaN
    /// or infinite, an inner product could overflow, or one tree would exceed an array's length.</exception>
    public static ThresholdForest Borrow(Memory<float> weights, int neurons, ReadOnlyMatrixView<float> data,
        ForestLayout layout = ForestLayout.Wide, BlasOptions? options = null)
    {
        Guard.RequireAtLeast(neurons, 1, nameof(neurons));
        long length = (long)neurons * data.Columns;
        if (weights.Length != length)
        {
            throw new ArgumentException(
                $"weights holds {weights.Length} floats; m × d row-major needs m·d = {neurons}·{data.Columns} = {length}.", nameof(weights));
        }
        return BorrowWithKnobs(weights, neurons, data, layout, options, Array.MaxLength, 0);
    }

    /// <summary>As the public <see cref="Borrow(Memory{float}, int, ReadOnlyMatrixView{float}, ForestLayout, BlasOptions?)"/>
    /// on checked lengths, with the test knobs of the internal constructor.</summary>
    internal static ThresholdForest BorrowWithKnobs(Memory<float> weights, int neurons, ReadOnlyMatrixView<float> data, ForestLayout layout,
        BlasOptions? options, int maxSlabLength, int batchNeurons) =>
        new(new ReadOnlyMatrixView<float>(weights.Span, neurons, data.Columns), weights, data, layout, options, maxSlabLength, batchNeurons);

    /// <summary>
    /// Validates and builds: over <paramref name="borrowed"/> when it is not empty (then <paramref name="weights"/>
    /// views it), else over a copy of <paramref name="weights"/>.
    /// </summary>
    private ThresholdForest(ReadOnlyMatrixView<float> weights, Memory<float> borrowed, ReadOnlyMatrixView<float> data, ForestLayout layout,
        BlasOptions? options, int maxSlabLength, int batchNeurons)
    {
        _options = options ?? BlasOptions.Default;
        _options.Validate();
        if (weights.Rows < 1 || data.Rows < 1)
        {
            throw new ArgumentException(
                $"A forest needs at least one neuron and one data point; weights has {weights.Rows} rows and data {data.Rows}.",
                weights.Rows < 1 ? nameof(weights) : nameof(data));
        }
        Guard.RequireShape(data, data.Rows, weights.Columns, nameof(data), "one row per data point, as many columns as weights");
        _dataMagnitude = ForestGuard.MaxMagnitude(data, nameof(data));
        ForestGuard.RequireNoOverflow(weights.Columns, ForestGuard.MaxMagnitude(weights, nameof(weights)), _dataMagnitude, nameof(weights));
        _layout = layout switch
        {
            ForestLayout.Wide => new WideMaxTree(weights.Rows),
            ForestLayout.Binary => new BinaryMaxHeap(weights.Rows),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown layout."),
        };

        Neurons = weights.Rows;
        DataPoints = data.Rows;
        Dimension = weights.Columns;
        Layout = layout;
        _weights = borrowed.IsEmpty ? Dense(weights) : borrowed;
        _data = Dense(data);
        _packed = new PackedPoints(Data);
        // Both the rows and the new leaves of a batch bounded by BatchBytes; at least 64 rows so that a batch's fixed
        // costs (the sort, the plan's top levels, starting the threads) stay small beside its work.
        _batchNeurons = batchNeurons > 0 ? batchNeurons : DefaultBatchNeurons(Dimension, DataPoints);
        _column = new float[DataPoints];
        _storage = new TreeStorage(DataPoints, _layout.TreeLength, maxSlabLength);
        Recompute();
    }

    /// <summary>Most neurons one <see cref="UpdateMany"/> batch takes for dimension d and n data points: both the rows
    /// and the new leaves within <see cref="BatchBytes"/>, and at least 64.</summary>
    private static int DefaultBatchNeurons(int dimension, int points) =>
        Math.Max(64, BatchBytes / (sizeof(float) * Math.Max(Math.Max(dimension, points), 1)));

    /// <summary>
    /// The bytes a forest over <paramref name="neurons"/> neurons and <paramref name="dataPoints"/> points of dimension
    /// <paramref name="dimension"/> allocates at most, without building it, so that a caller can refuse a problem that
    /// would not fit before allocating anything: the n trees (<see cref="TreeBytes"/>, plus the alignment of their
    /// arrays), the copy of X and its packed form, the scratch of <see cref="Update"/>, of <see cref="UpdateMany"/>
    /// (its batch of neurons, their n leaves each and its repair plan) and of <see cref="Refresh"/> (a block of gathered
    /// rows per thread; it shares UpdateMany's leaves), and the copy of W unless the forest borrows it
    /// (<see cref="Borrow"/>).
    /// </summary>
    /// <param name="neurons">m ≥ 1.</param>
    /// <param name="dataPoints">n ≥ 1.</param>
    /// <param name="dimension">d ≥ 0.</param>
    /// <param name="layout">How each tree is stored.</param>
    /// <param name="borrowsWeights">True for a forest made by <see cref="Borrow"/>, which keeps no copy of W.</param>
    /// <param name="options">The options the forest will be built with (the thread count sizes a little scratch);
    /// <see cref="BlasOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">m or n is below 1, d is negative, <paramref name="layout"/> is not
    /// defined, or an option is out of range.</exception>
    public static long EstimateBytes(int neurons, int dataPoints, int dimension, ForestLayout layout = ForestLayout.Wide,
        bool borrowsWeights = false, BlasOptions? options = null)
    {
        Guard.RequireAtLeast(neurons, 1, nameof(neurons));
        Guard.RequireAtLeast(dataPoints, 1, nameof(dataPoints));
        Guard.RequireAtLeast(dimension, 0, nameof(dimension));
        options ??= BlasOptions.Default;
        options.Validate();
        (long treeLength, int levels) = layout switch
        {
            ForestLayout.Wide => (WideMaxTree.Length(neurons), WideMaxTree.InternalLevels(neurons)),
            ForestLayout.Binary => (BinaryMaxHeap.Length(neurons), BinaryMaxHeap.InternalLevels(neurons)),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown layout."),
        };
        long n = dataPoints, d = dimension;
        // Each tree array may start up to a line early for alignment: at most one line per tree.
        long trees = n * (treeLength + TreeStorage.LineFloats);
        // X, and its packed groups of up to 16 points (the last group zero-padded).
        long data = n * d + (n + 15) / 16 * 16 * d;
        long batch = Math.Min(DefaultBatchNeurons(dimension, dataPoints), neurons);
        // Changed, sources and the sort's two orders; the batch's leaves; a plan pair per changed node and level;
        // one magnitude per thread; Update's column.
        long scratch = 4 * batch + batch * n + 2 * batch * levels + options.MaxThreads + n;
        // Refresh (wide layout; its batch's leaves are UpdateMany's): per thread a magnitude and a block of gathered rows;
        // per range part its bound and open nodes; the changed entries above the ranges (one per 16³ leaves at most) and
        // their plan.
        long parts = (long)options.MaxThreads * RangePartsPerThread;
        long ranges = neurons / 4096 + 1;
        long share = (batch + options.MaxThreads - 1) / options.MaxThreads;
        long refresh = layout == ForestLayout.Wide
            ? options.MaxThreads * (1 + Math.Min(GatherRowsFor(dimension), (share + 11) / 12 * 12) * d) + (parts + 1) * (1 + n * (WideMaxTree.MaxRangeLevels - 1))
                + ranges * (1 + 2 * levels)
            : 0;
        long weights = borrowsWeights ? 0 : (long)neurons * d;
        return (trees + data + scratch + refresh + weights) * sizeof(float);
    }

    /// <summary>Number of neurons m: leaves per tree.</summary>
    public int Neurons { get; }

    /// <summary>Number of data points n: one tree each.</summary>
    public int DataPoints { get; }

    /// <summary>Dimension d of the neurons and data points.</summary>
    public int Dimension { get; }

    /// <summary>How the trees are stored.</summary>
    public ForestLayout Layout { get; }

    /// <summary>Children per internal node: 16 for <see cref="ForestLayout.Wide"/>, 2 for <see cref="ForestLayout.Binary"/>.</summary>
    public int FanOut => _layout.FanOut;

    /// <summary>Bytes held by the n trees (leaves and maxima), excluding W and the copy of X.</summary>
    public long TreeBytes => _storage.TotalFloats * sizeof(float);

    /// <summary>
    /// The current weights W (m × d), read in place: the forest's copy, or the caller's W for a forest made by
    /// <see cref="Borrow"/> (see the class remarks). Change it only through the update methods. Valid until the next
    /// update; do not hold it across one.
    /// </summary>
    public ReadOnlyMatrixView<float> Weights => new(_weights.Span, Neurons, Dimension);

    /// <summary>The data points X (n × d).</summary>
    public ReadOnlyMatrixView<float> Data => new(_data, DataPoints, Dimension);

    /// <summary>The cached inner product ⟨w_j, x_i⟩ of neuron <paramref name="j"/> and data point <paramref name="i"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> or <paramref name="j"/> is out of range.</exception>
    public float Value(int i, int j)
    {
        Guard.RequireIndex(i, DataPoints, nameof(i), "data point");
        Guard.RequireIndex(j, Neurons, nameof(j), "neuron");
        return _storage.Tree(i)[_layout.LeafOffset + j];
    }

    /// <summary>
    /// All m cached inner products of data point <paramref name="i"/>, element j being ⟨w_j, x_i⟩: the leaves of
    /// its tree, read in place. Valid until the next update.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is out of range.</exception>
    public ReadOnlySpan<float> Values(int i)
    {
        Guard.RequireIndex(i, DataPoints, nameof(i), "data point");
        return _storage.Tree(i).Slice(_layout.LeafOffset, Neurons);
    }

    /// <summary>
    /// Returns how many neurons j have ⟨w_j, x_i⟩ ≥ <paramref name="threshold"/>: the length
    /// <see cref="Query(int, float, Span{int}, Span{float})"/> needs. Costs about as much as the query itself.
    /// </summary>
    /// <remarks>−∞ counts every neuron and +∞ none (all values are finite).</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is out of range, or <paramref name="threshold"/> is NaN.</exception>
    public int Count(int i, float threshold)
    {
        Guard.RequireIndex(i, DataPoints, nameof(i), "data point");
        Guard.RequireNotNaN(threshold, nameof(threshold));
        return _layout.Count(_storage.Tree(i), Effective(threshold));
    }

    /// <summary>
    /// Writes every neuron j with ⟨w_j, x_i⟩ ≥ <paramref name="threshold"/> (ties included) to the start of
    /// <paramref name="destination"/>, in ascending order, and returns how many it wrote. Elements past that count
    /// are left as they were. Does not allocate.
    /// </summary>
    /// <remarks>
    /// If <paramref name="destination"/> is shorter than m, the matches are counted first (one more traversal), and
    /// an answer that would not fit throws before anything is written; a destination of length ≥ m avoids that
    /// traversal. <see cref="Count"/> sizes a buffer exactly.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is out of range, or <paramref name="threshold"/> is NaN.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> cannot hold every match; nothing was written.</exception>
    public int Query(int i, float threshold, Span<int> destination) => Report(i, threshold, destination, default, withValues: false);

    /// <summary>
    /// As <see cref="Query(int, float, Span{int})"/>, and also writes each reported neuron's cached value
    /// ⟨w_j, x_i⟩ (the leaf, as <see cref="Value"/> returns it) to the same position of <paramref name="values"/>:
    /// the active set of x_i with its pre-activations, as a Gauss-Newton step needs them.
    /// </summary>
    /// <remarks>
    /// If either span is shorter than m, the matches are counted first, and an answer that would not fit in both
    /// throws before anything is written.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is out of range, or <paramref name="threshold"/> is NaN.</exception>
    /// <exception cref="ArgumentException"><paramref name="indices"/> or <paramref name="values"/> cannot hold every
    /// match; nothing was written.</exception>
    public int Query(int i, float threshold, Span<int> indices, Span<float> values) => Report(i, threshold, indices, values, withValues: true);

    /// <summary>Both queries; without values, <paramref name="indices"/> is the caller's "destination".</summary>
    private int Report(int i, float threshold, Span<int> indices, Span<float> values, bool withValues)
    {
        Guard.RequireIndex(i, DataPoints, nameof(i), "data point");
        Guard.RequireNotNaN(threshold, nameof(threshold));
        Span<float> tree = _storage.Tree(i);
        float effective = Effective(threshold);
        if (indices.Length < Neurons || (withValues && values.Length < Neurons))
        {
            int required = _layout.Count(tree, effective);
            Guard.RequireDestination(indices.Length, required, withValues ? nameof(indices) : "destination");
            if (withValues)
            {
                Guard.RequireDestination(values.Length, required, nameof(values));
            }
        }
        // An empty values span (no values asked, or none to write) makes the layout write indices only.
        return _layout.Report(tree, effective, indices, values);
    }

    /// <summary>
    /// Runs the query for every data point: replaces row i of <paramref name="destination"/> with the neurons j with
    /// ⟨w_j, x_i⟩ ≥ <paramref name="threshold"/>, ascending, and their cached values. Trees are queried in parallel
    /// (each writes only its own row); rows grow where they need more room, so once the rows are large enough a call
    /// allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have n rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is NaN.</exception>
    public void QueryAll(float threshold, ActiveSets destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Guard.RequireNotNaN(threshold, nameof(threshold));
        if (destination.Rows != DataPoints)
        {
            throw new ArgumentException(
                $"destination has {destination.Rows} rows; it needs one per data point (n = {DataPoints}).", nameof(destination));
        }
        var work = new QueryParts(this, Effective(threshold), destination);
        ParallelParts.Run(work, DataPoints, _options.ThreadsFor((long)DataPoints * Neurons, DataPoints));
    }

    /// <summary>Part i of <see cref="QueryAll"/>: the query of tree i into row i.</summary>
    private readonly struct QueryParts(ThresholdForest forest, float threshold, ActiveSets destination) : IParts
    {
        public void Run(int part)
        {
            int count = forest._layout.Report(forest._storage.Tree(part), threshold, destination, part);
            destination.Commit(part, count);
        }
    }

    /// <summary>
    /// Sets neuron <paramref name="j"/>'s weights to <paramref name="row"/>: recomputes its n leaves
    /// (<see cref="ThresholdProducts.All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, Kernels.Blas.BlasOptions?)"/>) and repairs each tree's root path, stopping where an ancestor's value does not change. O(n(d + log m)).
    /// Needs exclusive access; does not allocate.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="j"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have d elements, holds NaN or infinity,
    /// or could make an inner product overflow. Nothing changes.</exception>
    public void Update(int j, ReadOnlySpan<float> row)
    {
        Guard.RequireIndex(j, Neurons, nameof(j), "neuron");
        Guard.RequireLength(row.Length, Dimension, nameof(row), "the dimension d");
        ForestGuard.RequireNoOverflow(Dimension, ForestGuard.MaxMagnitude(row, nameof(row)), _dataMagnitude, nameof(row));

        row.CopyTo(_weights.Span.Slice(j * Dimension, Dimension));
        RecomputeNeuron(j);
    }

    /// <summary>Neuron <paramref name="j"/>'s n leaves from its current row of W, and each tree's root path above them.</summary>
    private void RecomputeNeuron(int j)
    {
        ThresholdProducts.All(Weights.Slice(j, 0, 1, Dimension), _packed, new MatrixView<float>(_column, DataPoints, 1), _options);
        int leaf = _layout.LeafOffset + j;
        for (int i = 0; i < DataPoints; i++)
        {
            Span<float> tree = _storage.Tree(i);
            tree[leaf] = _column[i];
            _layout.RepairPath(tree, j);
        }
    }

    /// <summary>
    /// Sets the weights of neurons <paramref name="neurons"/>[u] to row u of <paramref name="rows"/>, with the
    /// result of applying <see cref="Update"/> to each in turn (so a repeated neuron ends with its last row). The
    /// updates are taken in batches of consecutive rows small enough to stay in cache (about 4 MiB of rows); for each,
    /// one product computes the new leaves of its rows, the rows are copied into W, and each tree writes the leaves of
    /// the batch's distinct neurons in ascending order and recomputes, level by level, every ancestor of a changed
    /// leaf once. Trees (and the copy) run in parallel. Needs exclusive access; does not allocate after warm-up.
    /// </summary>
    /// <remarks>Passing the neurons in ascending order keeps each batch's leaves together in the trees (a trainer's
    /// changed neurons are); any order gives the same result. With n = 16 and d = 32 this beats <see cref="UpdateAll"/>
    /// up to U/m = 25 % (in about 0.6–0.75 of its time); the crossover lies near 40 % for m = 2²⁰ and near 50 % for
    /// m = 2¹⁶ (<c>Bench/results/amd-epyc-f25m17-2c/trees.md</c>, measured when both computed their leaves with Gemm
    /// and before the batched repair; not re-measured since).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">A neuron index is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not U × d, holds NaN or infinity, could make an
    /// inner product overflow, or shares memory with <see cref="Weights"/>. Nothing changes.</exception>
    public void UpdateMany(ReadOnlySpan<int> neurons, ReadOnlyMatrixView<float> rows)
    {
        Guard.RequireShape(rows, neurons.Length, Dimension, nameof(rows), "one row per updated neuron, d columns");
        foreach (int j in neurons)
        {
            Guard.RequireIndex(j, Neurons, nameof(neurons), "neuron");
        }
        ForestGuard.RequireDisjoint(rows.Data, _weights.Span, nameof(rows));
        if (neurons.IsEmpty)
        {
            return;
        }
        int batch = Math.Min(_batchNeurons, neurons.Length);
        bool oneBatch = batch == neurons.Length;
        if (!oneBatch)
        {
            // Every row is checked before the first batch writes anything; a single batch checks its rows as it
            // computes their leaves, before it writes.
            ForestGuard.RequireNoOverflow(Dimension, ForestGuard.MaxMagnitude(rows, nameof(rows)), _dataMagnitude, nameof(rows));
        }
        _scratch.Reserve(batch, DataPoints, _layout.MaxPlanLength(batch), _options.MaxThreads);
        // Consecutive batches in input order have the same effect as one.
        for (int start = 0; start < neurons.Length; start += batch)
        {
            int count = Math.Min(batch, neurons.Length - start);
            UpdateBatch(neurons.Slice(start, count), rows.Slice(start, 0, count, Dimension), _scratch, check: oneBatch);
        }
    }

    /// <summary>
    /// Recomputes the leaves of neurons <paramref name="neurons"/> (strictly ascending) from their current rows of W and
    /// repairs the trees: for a forest made by <see cref="Borrow"/> whose caller has just rewritten those rows of its W in
    /// place. Ends where <see cref="UpdateMany"/> with the same rows would (the same bits), without a second copy of the
    /// rows and without writing W: a trainer computes each new row where it lies and hands the forest only the indices.
    /// Needs exclusive access; does not allocate after warm-up.
    /// </summary>
    /// <remarks>
    /// <para>The changed neurons are taken in batches (as <see cref="UpdateMany"/> takes them) and each batch is split
    /// into ranges aligned to 4096 leaves (16³: no tree node below the top few levels straddles two ranges), which run on
    /// the threads. First each range's rows are gathered from W, up to 96 at a time, checked and multiplied by the points
    /// while in L1, into the batch's n leaves per row. Then each range writes its leaves into the n trees: each changed
    /// leaf node is loaded once and its new leaves blended in, and its ancestors up to 4096 leaves are recomputed as the
    /// walk leaves them, while their lines are still in cache. The few levels above are repaired last, from a plan of the
    /// ranges that changed. A neuron not listed is not read.</para>
    /// <para>All rows are checked (finite, no inner product that could overflow) before any tree changes; on failure the
    /// trees still hold the leaves of the old rows, so the caller must restore the rows it wrote (or call
    /// <see cref="UpdateAll"/>) before the next query.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A neuron index is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="neurons"/> is not strictly ascending, or a listed row of W
    /// holds NaN or infinity or could make an inner product overflow. No tree changes.</exception>
    public void Refresh(ReadOnlySpan<int> neurons) => RefreshRows(neurons, new KeepRows(), nameof(neurons));

    /// <summary>
    /// Rewrites the rows <paramref name="neurons"/> (strictly ascending) of W in place with <paramref name="rewriter"/>
    /// and refreshes their leaves and the trees: the result of rewriting those rows and calling <see cref="Refresh"/>
    /// (the same bits), with the rows read from memory once. Each row is handed to the rewriter where <see cref="Refresh"/>
    /// would gather it, while it is in cache, and its leaves are computed from what the rewriter wrote. For a trainer
    /// whose new rows are small updates of the old (a Gauss-Newton step), this halves the traffic of the rows.
    /// Needs exclusive access; does not allocate after warm-up (if the rewriter does not).
    /// </summary>
    /// <remarks>
    /// <para>The rows are rewritten batch by batch as <see cref="Refresh"/> takes them, on its threads
    /// (<see cref="IRowRewriter"/> says what a rewriter may do). Each batch's rewritten rows are checked (finite, no
    /// inner product that could overflow) before its trees change, so the trees never hold leaves of a row that fails.
    /// The check cannot come before the rewrite, so after a failure: the batches before the failing one are complete
    /// (their rows rewritten, their trees repaired to the top); the failing batch's rows are rewritten in W while the
    /// trees still hold their old leaves; the rows of later batches are not touched. (The binary layout takes one batch:
    /// every row rewritten, no tree changed.) To go on, the caller writes acceptable rows for the listed neurons into W
    /// and calls <see cref="Refresh"/> with them. A rewriter that keeps its rows in range (a trainer that bounds its
    /// steps) never meets the check.</para>
    /// <para>On a forest built by the constructor, W is the forest's copy (<see cref="Weights"/>); after
    /// <see cref="Borrow"/>, the caller's.</para>
    /// </remarks>
    /// <typeparam name="TRewriter">The rewriter, a struct so that its calls inline.</typeparam>
    /// <param name="neurons">The neurons to rewrite, strictly ascending.</param>
    /// <param name="rewriter">Computes each new row in place.</param>
    /// <exception cref="ArgumentOutOfRangeException">A neuron index is out of range. Nothing changes.</exception>
    /// <exception cref="ArgumentException"><paramref name="neurons"/> is not strictly ascending (nothing changes), or a
    /// rewritten row holds NaN or infinity or could make an inner product overflow (see the remarks).</exception>
    public void Rewrite<TRewriter>(ReadOnlySpan<int> neurons, TRewriter rewriter) where TRewriter : struct, IRowRewriter =>
        RefreshRows(neurons, rewriter, nameof(rewriter));

    /// <summary>
    /// <see cref="Refresh"/> (with <see cref="KeepRows"/>) and <see cref="Rewrite{TRewriter}"/>: the rows rewritten, if
    /// the rewriter does anything, checked and their leaves computed, the trees repaired. A failed check of the rows
    /// names <paramref name="rowsName"/>, the argument that wrote them.
    /// </summary>
    private unsafe void RefreshRows<TRewriter>(ReadOnlySpan<int> neurons, TRewriter rewriter, string rowsName) where TRewriter : struct, IRowRewriter
    {
        int previous = -1;
        foreach (int j in neurons)
        {
            Guard.RequireIndex(j, Neurons, nameof(neurons), "neuron");
            if (j <= previous)
            {
                throw new ArgumentException(
                    $"neurons must be strictly ascending (distinct, in increasing order); {j} follows {previous}.", nameof(neurons));
            }
            previous = j;
        }
        if (neurons.IsEmpty)
        {
            return;
        }
        bool rewrites = typeof(TRewriter) != typeof(KeepRows);
        if (_layout is not WideMaxTree wide)
        {
            // The reference layout: every row rewritten and checked, then one neuron at a time.
            for (int position = 0; rewrites && position < neurons.Length; position++)
            {
                rewriter.Rewrite(position, neurons[position], _weights.Span.Slice(neurons[position] * Dimension, Dimension));
            }
            RequireRows(neurons, rowsName);
            foreach (int j in neurons)
            {
                RecomputeNeuron(j);
            }
            return;
        }
        int batch = Math.Min(_batchNeurons, neurons.Length);
        if (batch < neurons.Length && !rewrites)
        {
            // Rows written before the call are all checked before the first batch writes anything; a single batch, or
            // a batch of rows rewritten as it goes, checks its rows as it computes their leaves, before its trees change.
            RequireRows(neurons, rowsName);
        }
        // Each thread's share of a batch, in whole kernel blocks, bounds the rows it gathers at once.
        int share = (batch + _options.MaxThreads - 1) / _options.MaxThreads;
        _refresh.Reserve(_options.MaxThreads, Math.Min(GatherRows, (share + 11) / 12 * 12), Dimension, DataPoints);
        _scratch.ReserveLeaves(batch, DataPoints);
        for (int start = 0; start < neurons.Length; start += batch)
        {
            try
            {
                RefreshBatch(wide, neurons.Slice(start, Math.Min(batch, neurons.Length - start)), start, rewriter,
                    check: rewrites || batch == neurons.Length, rowsName);
            }
            catch (ArgumentException) when (start > 0)
            {
                // Rewritten rows failed their check: the batches before this one stay complete, up to the top.
                RepairAboveRanges(wide, neurons[..start]);
                throw;
            }
        }
        RepairAboveRanges(wide, neurons);
    }

    /// <summary>The rewriter of <see cref="Refresh"/>: the rows stay as the caller wrote them.</summary>
    private readonly struct KeepRows : IRowRewriter
    {
        public void Rewrite(int position, int neuron, Span<float> row)
        {
        }
    }

    /// <summary>One batch of <see cref="RefreshRows"/> (at most <see cref="_batchNeurons"/> neurons, the first at position
    /// <paramref name="offset"/> of the call's list): its rows rewritten and their leaves computed, then the trees up to the aligned ranges.</summary>
    private unsafe void RefreshBatch<TRewriter>(WideMaxTree wide, ReadOnlySpan<int> neurons, int offset, TRewriter rewriter, bool check, string rowsName)
        where TRewriter : struct, IRowRewriter
    {
        int threads = _options.ThreadsFor(64L * DataPoints * neurons.Length + (long)neurons.Length * DataPoints * Dimension, neurons.Length);
        int parts = threads == 1 ? 1 : threads * RangePartsPerThread;
        int shift = wide.RangeShift;
        Span<int> bounds = _refresh.Bounds.AsSpan(0, parts + 1);
        bounds[0] = 0;
        for (int part = 1; part < parts; part++)
        {
            // About equal shares of the neurons, each moved up to the start of the next aligned range.
            int at = Math.Max(bounds[part - 1], (int)((long)neurons.Length * part / parts));
            while (at > 0 && at < neurons.Length && neurons[at] >> shift == neurons[at - 1] >> shift)
            {
                at++;
            }
            bounds[part] = at;
        }
        bounds[parts] = neurons.Length;
        fixed (int* changed = neurons)
        {
            var products = new GatheredProducts<TRewriter>(this, changed, offset, neurons.Length, rewriter, _scratch.Leaves, _refresh, check, threads);
            ParallelParts.Run(products, threads, threads);
            if (check)
            {
                RequireSafeRows(Level1.MaxMagnitude<float>(_refresh.Magnitudes.AsSpan(0, threads)), rowsName);
            }
            ParallelParts.Run(new RangeTrees(this, wide, changed, neurons.Length, _scratch.Leaves, _refresh), parts, threads);
        }
    }

    /// <summary>
    /// The last step of <see cref="Refresh"/>: the levels above the aligned ranges, from the ranges that changed, with one
    /// plan for every tree. Nothing to do when the ranges reach the top.
    /// </summary>
    private void RepairAboveRanges(WideMaxTree wide, ReadOnlySpan<int> neurons)
    {
        if (wide.RangeLevels + 1 >= wide.Levels)
        {
            return;
        }
        int shift = wide.RangeShift;
        int entries = (neurons[^1] >> shift) - (neurons[0] >> shift) + 1;
        _refresh.ReservePlan(entries, wide.MaxPlanLengthAbove(wide.RangeLevels, entries));
        int[] changedEntries = _refresh.Entries;
        entries = 0;
        int previous = -1;
        foreach (int j in neurons)
        {
            if (j >> shift != previous)
            {
                previous = j >> shift;
                changedEntries[entries++] = previous;
            }
        }
        int planLength = wide.PlanRepairsAbove(wide.RangeLevels, changedEntries.AsSpan(0, entries), _refresh.Plan);
        ForEachTree((long)DataPoints * planLength * WideMaxTree.Children, new RepairAbove(this, _refresh.Plan, planLength));
    }

    /// <summary>
    /// Bytes of rows <see cref="Refresh"/> gathers from W for one product call: 128 KiB stays in L2 and amortizes the
    /// call (at 96 rows of d = 128 the calls cost about twice the multiply-adds of larger ones).
    /// </summary>
    private const int GatherBytes = 128 << 10;

    /// <summary>Rows per gathered block: <see cref="GatherBytes"/> of them, a multiple of the product kernel's twelve-row blocks, at least twelve.</summary>
    private int GatherRows => GatherRowsFor(Dimension);

    /// <summary><see cref="GatherRows"/> for dimension <paramref name="dimension"/>.</summary>
    private static int GatherRowsFor(int dimension) => Math.Max(12, GatherBytes / (sizeof(float) * Math.Max(dimension, 1)) / 12 * 12);

    /// <summary>Parts per thread of <see cref="Refresh"/>, so that ranges of unequal cost still share the threads evenly.</summary>
    private const int RangePartsPerThread = 4;

    /// <summary>Scratch of <see cref="Refresh"/>, grown to the largest call seen.</summary>
    private readonly RefreshScratch _refresh = new();

    /// <summary>
    /// The check <see cref="Refresh"/> makes before it changes anything when it takes several batches: the listed rows of
    /// W are finite and no inner product with a data point could overflow.
    /// </summary>
    private void RequireRows(ReadOnlySpan<int> neurons, string name)
    {
        var weights = Weights;
        float max = 0;
        foreach (int j in neurons)
        {
            max = MathF.Max(max, Level1.MaxMagnitude<float>(weights.Row(j)));
        }
        RequireSafeRows(max, name);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="name"/> unless <paramref name="magnitude"/>, the largest
    /// |w| of rows measured elsewhere (NaN or ∞ when one of them was not finite: <see cref="MathF.Max(float, float)"/>
    /// keeps a NaN), is finite and no inner product of such a row with a data point could overflow.
    /// </summary>
    private void RequireSafeRows(float magnitude, string name)
    {
        ForestGuard.RequireFinite(magnitude, name);
        ForestGuard.RequireNoOverflow(Dimension, magnitude, _dataMagnitude, name);
    }

    /// <summary>
    /// Part p of a <see cref="RefreshRows"/> batch's products: the p-th of <paramref name="parts"/> equal shares of the batch's
    /// neurons, in blocks of up to <see cref="RefreshScratch.GatherRows"/> rows, each rewritten in place in W by
    /// <paramref name="rewriter"/> (its position in the call's list: <paramref name="offset"/> plus its place in the
    /// batch) and gathered into the part's buffer, measured (when <paramref name="check"/> is set) and multiplied by
    /// the points while in cache; row i of <paramref name="leaves"/> (stride: the batch's size <paramref name="count"/>)
    /// takes point i's. The part's largest magnitude goes to its slot of the magnitudes, NaN or ∞ if a row is not finite.
    /// </summary>
    private readonly unsafe struct GatheredProducts<TRewriter>(ThresholdForest forest, int* neurons, int offset, int count, TRewriter rewriter,
        float[] leaves, RefreshScratch scratch, bool check, int parts) : IParts where TRewriter : struct, IRowRewriter
    {
        public void Run(int part)
        {
            int start = (int)((long)count * part / parts), end = (int)((long)count * (part + 1) / parts);
            int d = forest.Dimension, n = forest.DataPoints;
            int blockRows = scratch.GatherRows;
            var rows = scratch.Rows.AsSpan(part * blockRows * d, blockRows * d);
            var weights = forest._weights.Span;
            float max = 0;
            for (int block = start; block < end; block += blockRows)
            {
                int size = Math.Min(blockRows, end - block);
                for (int r = 0; r < size; r++)
                {
                    if (r + CopyDistance < size)
                    {
                        Prefetch.TileIntoL2(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetReference(weights), neurons[block + r + CopyDistance] * d)),
                            d * sizeof(float));
                    }
                    int j = neurons[block + r];
                    var row = weights.Slice(j * d, d);
                    rewriter.Rewrite(offset + block + r, j, row);
                    row.CopyTo(rows.Slice(r * d, d));
                }
                if (check)
                {
                    // The whole block at once, while in L1; a NaN or ∞ stays in max through later blocks (MathF.Max keeps NaN).
                    max = MathF.Max(max, Level1.MaxMagnitude<float>(rows[..(size * d)]));
                }
                ThresholdProducts.All(new ReadOnlyMatrixView<float>(rows[..(size * d)], size, d), forest._packed,
                    new MatrixView<float>(leaves.AsSpan(block, (n - 1) * count + size), n, size, count), BlasOptions.SingleThreaded);
            }
            scratch.Magnitudes[part] = max;
        }
    }

    /// <summary>
    /// Part p of a <see cref="Refresh"/> batch's repair: the neurons from bounds[p] to bounds[p + 1] (whole aligned
    /// ranges), written into each tree in turn (<see cref="WideMaxTree.ApplyRange"/>, reading that tree's row of the
    /// batch's leaves), each tree's open nodes closed at the end of the range.
    /// </summary>
    private readonly unsafe struct RangeTrees(ThresholdForest forest, WideMaxTree wide, int* neurons, int count, float[] leaves, RefreshScratch scratch) : IParts
    {
        public void Run(int part)
        {
            int start = scratch.Bounds[part], end = scratch.Bounds[part + 1];
            if (start == end)
            {
                return;
            }
            int n = forest.DataPoints;
            const int openLength = WideMaxTree.MaxRangeLevels - 1;
            var open = scratch.Open.AsSpan(part * n * openLength, n * openLength);
            open.Fill(-1);
            for (int i = 0; i < n; i++)
            {
                var changed = new ReadOnlySpan<int>(neurons + start, end - start);
                wide.ApplyRange(forest.TreeStart(i), changed, leaves.AsSpan(i * count + start, end - start), open.Slice(i * openLength, openLength),
                    i + 1 < n ? forest.TreeStart(i + 1) : null);
                wide.CloseRange(forest.TreeStart(i), open.Slice(i * openLength, openLength));
            }
        }
    }

    /// <summary>Tree i's <see cref="Refresh"/> plan for the levels above its aligned ranges.</summary>
    private readonly struct RepairAbove(ThresholdForest forest, int[] plan, int planLength) : IParts
    {
        public void Run(int i) => forest._layout.Repair(forest._storage.Tree(i), plan.AsSpan(0, planLength));
    }

    /// <summary>The first float of tree <paramref name="i"/>; the storage is pinned, so the address holds.</summary>
    private unsafe float* TreeStart(int i) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(_storage.Tree(i)));

    /// <summary>
    /// The arrays of <see cref="Refresh"/>, kept by the forest and grown to its largest call: the bounds of the ranges and
    /// each range's open nodes per tree; per thread a block of gathered rows and its largest magnitude; the changed entries
    /// and plan of the levels above the ranges. The batch's leaves are <see cref="BatchScratch.Leaves"/>. Not pooled, for
    /// the reason <see cref="BatchScratch"/> gives.
    /// </summary>
    private sealed class RefreshScratch
    {
        public int[] Bounds { get; private set; } = [];
        public int[] Open { get; private set; } = [];
        public float[] Magnitudes { get; private set; } = [];
        public float[] Rows { get; private set; } = [];

        /// <summary>Rows each thread's block of <see cref="Rows"/> holds.</summary>
        public int GatherRows { get; private set; }

        public int[] Entries { get; private set; } = [];
        public int[] Plan { get; private set; } = [];

        public void Reserve(int threads, int gatherRows, int dimension, int points)
        {
            int parts = threads * RangePartsPerThread;
            if (Bounds.Length < parts + 1)
            {
                Bounds = new int[parts + 1];
                Open = new int[parts * points * (WideMaxTree.MaxRangeLevels - 1)];
                Magnitudes = new float[threads];
            }
            if (GatherRows < gatherRows)
            {
                Rows = new float[threads * gatherRows * dimension];
                GatherRows = gatherRows;
            }
        }

        public void ReservePlan(int entries, int planLength)
        {
            if (Entries.Length < entries)
            {
                Entries = new int[entries];
            }
            if (Plan.Length < planLength)
            {
                Plan = new int[planLength];
            }
        }
    }

    /// <summary>
    /// The arrays of <see cref="UpdateMany"/>, kept by the forest and grown to its largest batch. Not pooled: a call
    /// needs several arrays of one size at once, and all but one of them would come from the pool's shared stacks,
    /// which other threads can empty, so a call could allocate after warm-up.
    /// </summary>
    private sealed class BatchScratch
    {
        public int[] Changed { get; private set; } = [];
        public int[] Sources { get; private set; } = [];
        public int[] Order { get; private set; } = [];
        public float[] Leaves { get; private set; } = [];
        public int[] Plan { get; private set; } = [];

        /// <summary>Per part of the leaf products: the largest |w| of its rows, or NaN or ∞ when one is not finite.</summary>
        public float[] Magnitudes { get; private set; } = [];

        /// <summary>Room for the n leaves of a batch of <paramref name="batch"/> rows (shared by <see cref="Refresh"/>).</summary>
        public void ReserveLeaves(int batch, int points)
        {
            if (Leaves.Length < (long)batch * points)
            {
                Leaves = new float[batch * points];
            }
        }

        public void Reserve(int batch, int points, int planLength, int threads)
        {
            if (Magnitudes.Length < threads)
            {
                Magnitudes = new float[threads];
            }
            if (Changed.Length < batch)
            {
                Changed = new int[batch];
                Sources = new int[batch];
                Order = new int[2 * batch];
            }
            ReserveLeaves(batch, points);
            if (Plan.Length < planLength)
            {
                Plan = new int[planLength];
            }
        }
    }

    /// <summary>
    /// One batch of <see cref="UpdateMany"/>, on validated arguments. One product computes the new leaves of all U
    /// rows in the caller's order, straight from the caller's rows (no gathered copy of them, which would cost another
    /// U·d floats written and read). Only the last update of each neuron matters, so the batch is reduced to its D
    /// distinct neurons in ascending order, each with the position of its last row ("source"); the weights are copied
    /// from the sources, and each tree writes leaf changed[t] from its product column sources[t].
    /// </summary>
    private unsafe void UpdateBatch(ReadOnlySpan<int> neurons, ReadOnlyMatrixView<float> rows, BatchScratch scratch, bool check)
    {
        int updates = neurons.Length;
        int[] changed = scratch.Changed;
        int[] sources = scratch.Sources;
        float[] leaves = scratch.Leaves;
        int[] plan = scratch.Plan;
        int distinct = NeuronOrder.Sort(neurons, Neurons, changed, sources, scratch.Order);

        // Row i of the n × U product: point i against the updated rows, in the caller's order.
        LeafProducts(rows, leaves, scratch.Magnitudes, check);

        int planLength = _layout.PlanRepairs(changed.AsSpan(0, distinct), plan);
        // The n trees (parts 0 … n − 1) and the copy of the rows into W (parts n … n + CopyParts − 1) share the threads.
        // Each changed leaf and planned node is about one cache miss, worth some 64 multiply-adds of work. The rows are pinned while the parts read them through a pointer (a part is a struct, so it cannot hold a span).
        fixed (float* first = rows.Data)
        {
            var work = new RepairTrees(this, first, rows.Stride, changed, sources, distinct, leaves, updates, plan, planLength);
            int parts = DataPoints + RepairTrees.CopyParts;
            ParallelParts.Run(work, parts, _options.ThreadsFor(64L * DataPoints * (distinct + planLength), parts));
        }
    }

    /// <summary>
    /// The n × U leaves of a batch's U rows (row i: point i against the rows, in the caller's order) into
    /// <paramref name="leaves"/>, and, when <paramref name="check"/> is set, the check of those rows that
    /// <see cref="UpdateMany"/> makes: finite, no inner product that could overflow. Both in one pass, parts of
    /// <see cref="LeafBlockRows"/> rows at a time, so that each block of rows is read once (it is in L1 when its
    /// products are computed) and the packed points are never repacked. Writes only the scratch: it throws before the
    /// forest changes.
    /// </summary>
    private unsafe void LeafProducts(ReadOnlyMatrixView<float> rows, float[] leaves, float[] magnitudes, bool check)
    {
        int blocks = (rows.Rows + LeafBlockRows - 1) / LeafBlockRows;
        int threads = _options.ThreadsFor((long)rows.Rows * DataPoints * Dimension, blocks);
        fixed (float* first = rows.Data)
        {
            ParallelParts.Run(new LeafParts(this, first, rows.Rows, rows.Stride, leaves, magnitudes, check, threads), threads);
        }
        if (!check)
        {
            return;
        }
        RequireSafeRows(Level1.MaxMagnitude<float>(magnitudes.AsSpan(0, threads)), nameof(rows));
    }

    /// <summary>
    /// Copies row <paramref name="sources"/>[t] of the pinned rows at <paramref name="rows"/> (row stride
    /// <paramref name="stride"/>) to the weights of neuron <paramref name="changed"/>[t]. The sources are in no
    /// particular order, so rows are prefetched a few ahead to keep the copies off memory latency; the destinations ascend.
    /// </summary>
    private unsafe void CopyRows(float* rows, int stride, ReadOnlySpan<int> changed, ReadOnlySpan<int> sources)
    {
        Span<float> weights = _weights.Span;
        for (int t = 0; t < sources.Length; t++)
        {
            if (t + CopyDistance < sources.Length)
            {
                Prefetch.Tile(rows + (nint)sources[t + CopyDistance] * stride, Dimension * sizeof(float));
            }
            new ReadOnlySpan<float>(rows + (nint)sources[t] * stride, Dimension).CopyTo(weights.Slice(changed[t] * Dimension, Dimension));
        }
    }

    /// <summary>
    /// Replaces all weights with <paramref name="weights"/> and rebuilds every tree as the constructor does: all
    /// n·m leaves (<see cref="ThresholdProducts.All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, Kernels.Blas.BlasOptions?)"/>), then the maxima bottom-up. O(nmd). The better choice than <see cref="UpdateMany"/>
    /// once a large share of the neurons changed. Needs exclusive access.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is not m × d, holds NaN or infinity, could make an
    /// inner product overflow, or partly overlaps <see cref="Weights"/> (passing <see cref="Weights"/> itself is allowed).
    /// Nothing changes.</exception>
    public void UpdateAll(ReadOnlyMatrixView<float> weights)
    {
        Guard.RequireShape(weights, Neurons, Dimension, nameof(weights), "m neurons, d columns");
        Span<float> own = _weights.Span;
        bool inPlace = weights.Data.Overlaps(own, out int offset) && offset == 0 && weights.Stride == Dimension;
        if (!inPlace)
        {
            ForestGuard.RequireDisjoint(weights.Data, own, nameof(weights));
        }
        ForestGuard.RequireNoOverflow(Dimension, ForestGuard.MaxMagnitude(weights, nameof(weights)), _dataMagnitude, nameof(weights));
        for (int j = 0; j < Neurons; j++)
        {
            weights.Row(j).CopyTo(own.Slice(j * Dimension, Dimension));
        }
        Recompute();
    }

    /// <summary>
    /// For the tests: the first tree and place where an internal node is not the max of its children or padding is
    /// not −∞, or null when every tree is consistent.
    /// </summary>
    internal string? FindViolation()
    {
        for (int i = 0; i < DataPoints; i++)
        {
            string? problem = _layout.FindViolation(_storage.Tree(i));
            if (problem is not null)
            {
                return $"tree {i}: {problem}";
            }
        }
        return null;
    }

    /// <summary>For the tests: how many arrays hold the trees.</summary>
    internal int StorageArrays => _storage.SlabCount;

    /// <summary>Every leaf from the current W and X, one <see cref="ThresholdProducts.All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, Kernels.Blas.BlasOptions?)"/> per storage array, then every tree's maxima.</summary>
    private void Recompute()
    {
        for (int slab = 0; slab < _storage.SlabCount; slab++)
        {
            int first = _storage.FirstTree(slab);
            ReadOnlyMatrixView<float> points = Data.Slice(first, 0, _storage.TreesInSlab(slab), Dimension);
            ThresholdProducts.All(Weights, points, _storage.Rows(slab, _layout.LeafOffset, Neurons), _options);
        }
        ForEachTree(_storage.TotalFloats, new BuildTrees(this));
    }

    /// <summary>
    /// Runs part i of <paramref name="trees"/> for every tree i, on <see cref="ParallelParts"/> when <paramref name="work"/>
    /// is large enough. Trees are disjoint, so no thread reads what another writes.
    /// </summary>
    private void ForEachTree<TTrees>(long work, in TTrees trees) where TTrees : struct, IParts
    {
        ParallelParts.Run(trees, DataPoints, _options.ThreadsFor(work, DataPoints));
    }

    /// <summary>
    /// Parts 0 … n − 1: tree i takes the new values of the changed leaves (ascending), leaf changed[t] from column
    /// sources[t] of row i of the n × U product, and recomputes the planned ancestors. Parts n … n + CopyParts − 1:
    /// one slice each of the copy of the new rows into W, which no tree reads.
    /// </summary>
    private readonly unsafe struct RepairTrees(ThresholdForest forest, float* rows, int stride, int[] changed, int[] sources, int distinct,
        float[] leaves, int updates, int[] plan, int planLength) : IParts
    {
        /// <summary>Slices of the copy into W, so that it spreads over the threads with the trees.</summary>
        public const int CopyParts = 4;

        public void Run(int part)
        {
            int trees = forest.DataPoints;
            if (part < trees)
            {
                forest._layout.Apply(forest._storage.Tree(part), changed.AsSpan(0, distinct), sources.AsSpan(0, distinct),
                    leaves.AsSpan(part * updates, updates), plan.AsSpan(0, planLength));
                return;
            }
            int slice = part - trees;
            int first = (int)((long)distinct * slice / CopyParts);
            int end = (int)((long)distinct * (slice + 1) / CopyParts);
            forest.CopyRows(rows, stride, changed.AsSpan(first, end - first), sources.AsSpan(first, end - first));
        }
    }

    /// <summary>
    /// Part p of <see cref="LeafProducts"/>: the p-th of <paramref name="parts"/> ranges of whole blocks of
    /// <see cref="LeafBlockRows"/> rows (pinned at <paramref name="rows"/>, row stride <paramref name="stride"/>); each
    /// block's rows are measured (when <paramref name="check"/> is set) and then multiplied while in L1. The part's
    /// largest magnitude goes to <paramref name="magnitudes"/>[p], NaN or ∞ if a row is not finite.
    /// </summary>
    private readonly unsafe struct LeafParts(ThresholdForest forest, float* rows, int count, int stride, float[] leaves, float[] magnitudes,
        bool check, int parts) : IParts
    {
        public void Run(int part)
        {
            int blocks = (count + LeafBlockRows - 1) / LeafBlockRows;
            int start = (int)((long)blocks * part / parts) * LeafBlockRows;
            int end = Math.Min(count, (int)((long)blocks * (part + 1) / parts) * LeafBlockRows);
            int d = forest.Dimension, n = forest.DataPoints;
            float max = 0;
            for (int block = start; block < end; block += LeafBlockRows)
            {
                int size = Math.Min(LeafBlockRows, end - block);
                var view = new ReadOnlyMatrixView<float>(new ReadOnlySpan<float>(rows + (nint)block * stride, (size - 1) * stride + d), size, d, stride);
                if (check)
                {
                    for (int r = 0; r < size; r++)
                    {
                        // A NaN or ∞ stays in max through later rows (MathF.Max keeps NaN).
                        max = MathF.Max(max, Level1.MaxMagnitude<float>(view.Row(r)));
                    }
                }
                ThresholdProducts.All(view, forest._packed, new MatrixView<float>(leaves.AsSpan(block, (n - 1) * count + size), n, size, count),
                    BlasOptions.SingleThreaded);
            }
            magnitudes[part] = max;
        }
    }

    /// <summary>Tree i's maxima, bottom-up from its leaves.</summary>
    private readonly struct BuildTrees(ThresholdForest forest) : IParts
    {
        public void Run(int i) => forest._layout.Build(forest._storage.Tree(i));
    }

    /// <summary>
    /// The threshold the layouts compare with: −∞ becomes −float.MaxValue, which selects exactly the same finite
    /// values but not the −∞ padding of unused leaf slots.
    /// </summary>
    private static float Effective(float threshold) => MathF.Max(threshold, -float.MaxValue);

    private static float[] Dense(ReadOnlyMatrixView<float> matrix)
    {
        var dense = new float[matrix.Rows * matrix.Columns];
        for (int r = 0; r < matrix.Rows; r++)
        {
            matrix.Row(r).CopyTo(dense.AsSpan(r * matrix.Columns, matrix.Columns));
        }
        return dense;
    }
}
