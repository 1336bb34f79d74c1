using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Elementwise;
using Kernels.Randomness;
using Kernels.Simd;
using Kernels.Sketching.Hashing;

namespace Kernels.Sketching.Layers;

/// <summary>
/// A HashedNets fully connected layer (Chen et al. 2015; §A of the papers): inputs → outputs through a virtual
/// outputs × inputs weight matrix V[i, j] = ξ(i, j)·w[h(i, j)] whose <see cref="Buckets"/> = B real weights w are shared
/// by hashing, plus an optional bias. The layer holds exactly B (+ outputs) parameters, and V is never materialized.
/// </summary>
/// <remarks>
/// <para><b>Hashing.</b> Entry (i, j) has the key i·inputs + j. With a sign hash, bucket and sign come from one evaluation
/// of <see cref="Hash"/>, <see cref="IHashFunction.BucketAndSign"/>(key, B), so (h, ξ) is jointly as independent as the
/// family (k-wise for a k-wise family); without one, ξ = 1 and h = <see cref="IHashFunction.Bucket"/>(key, B). Keys must
/// be below the family's <see cref="IHashFunction.KeyCount"/>, which limits inputs·outputs: 2³² for
/// <see cref="MultiplyShift"/>, <see cref="TabulationHash"/> and <see cref="PolynomialHash"/> over 2⁶¹ − 1, and 2³¹ − 1
/// for <see cref="PolynomialHash"/> over 2³¹ − 1.</para>
/// <para><b>Forward</b> (batch rows X, batch × inputs): Y = X·Vᵀ + 1·biasᵀ, one Gemm whose right operand is Vᵀ read
/// through a pack hook: Gemm's packing step hashes each block's keys and gathers ξ·w[h] into its micro-panels.</para>
/// <para><b>Convention.</b> The methods, their parameters and the meaning of beta are those of every layer
/// (see <see cref="Kernels.Layers.Linear{T}"/>): gradients are passed explicitly; beta = 0 overwrites them, 1 accumulates.
/// This layer keeps nothing between passes, so it takes no workspace.</para>
/// <para><b>Backward.</b> <see cref="BackwardInput"/>: dX = dY·V, the same Gemm with V as the packed operand.
/// <see cref="BackwardParameters"/>: ∂L/∂w_k = Σ over (i, j) with h(i, j) = k of ξ(i, j)·(dYᵀX)[i, j] (a scatter-add),
/// and ∂L/∂bias = the column sums of dY. The virtual gradient dYᵀX is formed one tile of rows of V at a time by Gemm
/// and scattered into the buckets while the tile is in cache, so only a tile (about 64 K entries) per thread is ever live,
/// never the outputs × inputs matrix. The rows of V are split into two partitions (one when V fits a single tile), each
/// scattered into its own table gradient, so two threads can share the pass; the partition gradients are summed in
/// partition order at the end.</para>
/// <para><b>Memory.</b> Besides the parameters, a pass uses a 2B-entry lookup table ([w; −w]) and, for the parameter
/// gradient, one tile per thread and a 2B-entry table gradient per partition (at most two), all from the array pool, plus
/// Gemm's per-thread pack buffers; after warm-up a pass allocates nothing, threaded or not (no index map of size
/// inputs·outputs is stored or cached). The hashes are recomputed on every pass.</para>
/// <para><b>Determinism.</b> Every output is summed in a fixed order (Gemm's; the scatter runs over the keys of each
/// partition in ascending order, and the partitions, fixed by the shape alone, are added in order), so results are the same bits for any thread count; they may differ in the last bits between
/// vector widths. Data NaN and infinity propagate. The layer is safe for concurrent passes as long as nobody writes
/// the parameters meanwhile.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> (the neural-network default) or <see cref="double"/> (gradient checks).</typeparam>
public sealed class HashedLinear<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Entries of the virtual gradient computed per tile in <see cref="BackwardParameters"/> (256 KiB of floats per thread: L2-resident; larger tiles repack X less often).</summary>
    private const int TileEntries = 1 << 16;

    /// <summary>
    /// Row partitions of V in <see cref="BackwardParameters"/>, each with its own table gradient (2B entries), summed in
    /// partition order at the end; up to this many threads share the pass.
    /// </summary>
    private const int GradientPartitions = 2;

    private readonly T[] _weights;
    private readonly T[] _bias;
    private readonly HashedWeightMap<T> _map;

    /// <summary>A layer with all parameters zero; see <see cref="InitializeUniform"/>.</summary>
    /// <param name="inputs">Columns of V: the input width, at least 1.</param>
    /// <param name="outputs">Rows of V: the output width, at least 1.</param>
    /// <param name="buckets">B, the number of real weights, from 1 to inputs·outputs (and at most 2³⁰ with a sign hash, whose lookup table has 2B entries).</param>
    /// <param name="hash">The hash function of the keys i·inputs + j; its <see cref="IHashFunction.KeyCount"/> must reach inputs·outputs.</param>
    /// <param name="signed">Whether entries carry the sign hash ξ(i, j) (as in HashedNets) or ξ = 1.</param>
    /// <param name="bias">Whether the layer has a bias of <paramref name="outputs"/> parameters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="hash"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentException">inputs·outputs exceeds the keys the hash function accepts.</exception>
    public HashedLinear(int inputs, int outputs, int buckets, IHashFunction hash, bool signed = true, bool bias = true)
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        long entries = (long)inputs * outputs;
        if ((ulong)entries > hash.KeyCount)
        {
            throw new ArgumentException(
                $"A {outputs}×{inputs} layer has {entries} keys i·inputs + j; this hash function accepts keys below {hash.KeyCount}.", nameof(hash));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        if (buckets > entries)
        {
            throw new ArgumentOutOfRangeException(nameof(buckets), buckets, $"buckets must not exceed the {entries} entries of the {outputs}×{inputs} virtual matrix.");
        }
        if (signed && buckets > 1 << 30)
        {
            throw new ArgumentOutOfRangeException(nameof(buckets), buckets, "A signed layer takes at most 2³⁰ buckets: its lookup table has 2B entries.");
        }
        Inputs = inputs;
        Outputs = outputs;
        Hash = hash;
        _weights = new T[buckets];
        _bias = bias ? new T[outputs] : [];
        _map = new HashedWeightMap<T>(hash, inputs, buckets, signed);
    }

    /// <summary>The input width: columns of V.</summary>
    public int Inputs { get; }

    /// <summary>The output width: rows of V.</summary>
    public int Outputs { get; }

    /// <summary>B, the number of real weights.</summary>
    public int Buckets => _weights.Length;

    /// <summary>Whether entries carry the sign hash ξ(i, j).</summary>
    public bool Signed => _map.Signed;

    /// <summary>Whether the layer has a bias.</summary>
    public bool HasBias => _bias.Length > 0;

    /// <summary>The hash function of the keys i·inputs + j.</summary>
    public IHashFunction Hash { get; }

    /// <summary>The B real weights w; read and write them in place (an optimizer updates them here).</summary>
    public Span<T> Weights => _weights;

    /// <summary>The bias, <see cref="Outputs"/> values, or empty when the layer has none.</summary>
    public Span<T> Bias => _bias;

    /// <summary>Every trainable parameter: exactly B, plus <see cref="Outputs"/> with a bias.</summary>
    public int ParameterCount => _weights.Length + _bias.Length;

    /// <summary>The compression ratio inputs·outputs / B of the weight matrix.</summary>
    public double Compression => (double)Inputs * Outputs / Buckets;

    /// <summary>
    /// Draws w and the bias uniformly from [−bound, bound]: w from stream 0 and the bias from stream 1 of
    /// <c>CounterRandom(CounterRandom.Derive(seed, Purpose("hashedln")), ·)</c> (the README's seed rule), so the same seed
    /// gives the same parameters on every machine and shares no stream with other components built from it. A common
    /// bound is 1/√inputs, which gives V the scale of a dense layer initialized the same way.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bound"/> is negative or not finite.</exception>
    public void InitializeUniform(T bound, ulong seed)
    {
        Guard.RequireFinite(bound, nameof(bound));
        ArgumentOutOfRangeException.ThrowIfNegative(bound);
        ulong derived = CounterRandom.Derive(seed, SeedPurpose);
        new CounterRandom(derived, 0).FillUniform<T>(_weights, -bound, bound);
        new CounterRandom(derived, 1).FillUniform<T>(_bias, -bound, bound);
    }

    /// <summary>The purpose this layer derives its seed with (<see cref="CounterRandom.Derive"/>).</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("hashedln");

    /// <summary>V[output, input] = ξ·w[h] from the definition (one <see cref="IHashFunction.BucketAndSign"/> call): for references and inspection.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public T VirtualWeight(int output, int input)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(output);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(output, Outputs);
        ArgumentOutOfRangeException.ThrowIfNegative(input);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(input, Inputs);
        uint key = (uint)output * (uint)Inputs + (uint)input;
        if (!Signed)
        {
            return _weights[Hash.Bucket(key, Buckets)];
        }
        var (bucket, sign) = Hash.BucketAndSign(key, Buckets);
        return sign > 0 ? _weights[bucket] : -_weights[bucket];
    }

    /// <summary>
    /// Writes the virtual matrix V (outputs × inputs) to <paramref name="destination"/>: the only way V is ever
    /// materialized, for references, diagnostics (rank, conditioning) and small layers.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is not outputs × inputs.</exception>
    public unsafe void CopyVirtualMatrix(MatrixView<T> destination)
    {
        if (destination.Rows != Outputs || destination.Columns != Inputs)
        {
            throw new ArgumentException($"destination is {destination.Rows}×{destination.Columns}; expected the {Outputs}×{Inputs} virtual matrix.", nameof(destination));
        }
        T[] table = RentTable();
        try
        {
            fixed (T* t = table)
            {
                for (int i = 0; i < Outputs; i++)
                {
                    Span<T> row = destination.Row(i);
                    uint key = (uint)i * (uint)Inputs;
                    for (int j0 = 0; j0 < Inputs; j0 += HashedWeightMap<T>.Run)
                    {
                        int n = Math.Min(HashedWeightMap<T>.Run, Inputs - j0);
                        _map.Gather(key + (uint)j0, t, row.Slice(j0, n));
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(table);
        }
    }

    /// <summary>Y ← X·Vᵀ + 1·biasᵀ for a batch: row b of Y is the layer applied to row b of X.</summary>
    /// <param name="input">X, batch × <see cref="Inputs"/>.</param>
    /// <param name="output">Y, batch × <see cref="Outputs"/>; overwritten; must not overlap X.</param>
    /// <param name="options">Threads for the Gemm; the result does not depend on them.</param>
    /// <exception cref="ArgumentException">A shape does not match, or Y overlaps X.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public unsafe void Forward(ReadOnlyMatrixView<T> input, MatrixView<T> output, BlasOptions? options = null)
    {
        Guard.RequireColumns<T>(input, Inputs, nameof(input), "batch × inputs");
        Guard.RequireShape<T>(output, input.Rows, Outputs, nameof(output), "batch × outputs");
        Guard.RequireDisjoint<T>(input, nameof(input), output, nameof(output));
        options = Checked(options);
        if (HasBias)
        {
            // The bias goes in first and Gemm adds X·Vᵀ to it (beta = 1): no second pass over Y.
            for (int b = 0; b < output.Rows; b++)
            {
                _bias.CopyTo(output.Row(b));
            }
        }
        T[] table = RentTable();
        try
        {
            fixed (T* px = input.Data)
            fixed (T* t = table)
            {
                var source = new PinnedMatrixSource<T>(px, input.Data.Length, input.Rows, input.Columns, input.Stride, Transpose.None);
                Level3.Gemm(T.One, source, new VirtualMatrixPanels<T>(_map, t, Outputs, transposed: true), HasBias ? T.One : T.Zero, output, options);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(table);
        }
    }

    /// <summary>dX ← dY·V + beta·dX: the gradient of the loss with respect to the inputs, given its gradient with respect to the outputs.</summary>
    /// <param name="outputGradient">dY, batch × <see cref="Outputs"/>.</param>
    /// <param name="inputGradient">dX, batch × <see cref="Inputs"/>; must not overlap dY.</param>
    /// <param name="beta">0 overwrites dX (never read), 1 accumulates into it; must be finite.</param>
    /// <param name="options">Threads for the Gemm; the result does not depend on them.</param>
    /// <exception cref="ArgumentException">A shape does not match, or dX overlaps dY.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not finite, or an option is out of range.</exception>
    public unsafe void BackwardInput(ReadOnlyMatrixView<T> outputGradient, MatrixView<T> inputGradient, T beta, BlasOptions? options = null)
    {
        Guard.RequireFinite(beta, nameof(beta));
        Guard.RequireColumns<T>(outputGradient, Outputs, nameof(outputGradient), "batch × outputs");
        Guard.RequireShape<T>(inputGradient, outputGradient.Rows, Inputs, nameof(inputGradient), "batch × inputs");
        Guard.RequireDisjoint<T>(outputGradient, nameof(outputGradient), inputGradient, nameof(inputGradient));
        options = Checked(options);
        T[] table = RentTable();
        try
        {
            fixed (T* pdy = outputGradient.Data)
            fixed (T* t = table)
            {
                var dy = new PinnedMatrixSource<T>(pdy, outputGradient.Data.Length, outputGradient.Rows, outputGradient.Columns, outputGradient.Stride, Transpose.None);
                Level3.Gemm(T.One, dy, new VirtualMatrixPanels<T>(_map, t, Outputs, transposed: false), beta, inputGradient, options);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(table);
        }
    }

    /// <summary>
    /// The parameter gradients for a batch, added to beta times the destinations: ∂L/∂w_k = Σ over the (i, j) with
    /// h(i, j) = k of ξ(i, j)·(dYᵀX)[i, j], and ∂L/∂bias = Σ over the batch of the rows of dY.
    /// </summary>
    /// <param name="input">X, the inputs of the forward pass, batch × <see cref="Inputs"/>.</param>
    /// <param name="outputGradient">dY, batch × <see cref="Outputs"/>.</param>
    /// <param name="weightGradient">∂L/∂w, <see cref="Buckets"/> elements.</param>
    /// <param name="biasGradient">∂L/∂bias, <see cref="Outputs"/> elements with a bias, empty without.</param>
    /// <param name="beta">0 overwrites both gradients (never read), 1 accumulates into them; must be finite.</param>
    /// <param name="options">Threads for the pass (up to two, one per row partition); the result does not depend on them.</param>
    /// <exception cref="ArgumentException">A shape or length does not match, or a gradient overlaps an input or the other gradient.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not finite, or an option is out of range.</exception>
    public unsafe void BackwardParameters(ReadOnlyMatrixView<T> input, ReadOnlyMatrixView<T> outputGradient, Span<T> weightGradient, Span<T> biasGradient,
        T beta, BlasOptions? options = null)
    {
        Guard.RequireColumns<T>(input, Inputs, nameof(input), "batch × inputs");
        Guard.RequireShape<T>(outputGradient, input.Rows, Outputs, nameof(outputGradient), "batch × outputs");
        Guard.RequireLength(weightGradient.Length, Buckets, nameof(weightGradient), "the layer's buckets");
        Guard.RequireLength(biasGradient.Length, _bias.Length, nameof(biasGradient), HasBias ? "the layer's outputs" : "empty: the layer has no bias");
        ReadOnlySpan<T> xUsed = Used(input), dyUsed = Used(outputGradient);
        Guard.RequireFinite(beta, nameof(beta));
        Guard.RequireDisjoint(xUsed, nameof(input), weightGradient, nameof(weightGradient));
        Guard.RequireDisjoint(dyUsed, nameof(outputGradient), weightGradient, nameof(weightGradient));
        Guard.RequireDisjoint(xUsed, nameof(input), biasGradient, nameof(biasGradient));
        Guard.RequireDisjoint(dyUsed, nameof(outputGradient), biasGradient, nameof(biasGradient));
        Guard.RequireDisjoint<T>(weightGradient, nameof(weightGradient), biasGradient, nameof(biasGradient));
        options = Checked(options);

        if (HasBias)
        {
            Arithmetic.ColumnSums(outputGradient, biasGradient, beta);
        }

        int tileRows = Math.Clamp(TileEntries / Inputs, 1, Outputs);
        // The partitions depend on the shape only, never on the thread count: that keeps the bits fixed.
        int partitions = Math.Min(GradientPartitions, (Outputs + tileRows - 1) / tileRows);
        int threads = options.ThreadsFor((long)Outputs * Inputs * input.Rows, partitions);
        int tableLength = _map.TableLength, tileLength = tileRows * Inputs;
        T[] tableGradients = ArrayPool<T>.Shared.Rent(partitions * tableLength);
        T[] tiles = ArrayPool<T>.Shared.Rent(threads * tileLength);
        try
        {
            fixed (T* px = input.Data)
            fixed (T* pdy = outputGradient.Data)
            fixed (T* g = tableGradients)
            fixed (T* t = tiles)
            {
                var operands = new GradientOperands((nint)px, input.Data.Length, input.Stride, (nint)pdy, outputGradient.Data.Length, outputGradient.Stride, input.Rows, tileRows,
                    (nint)g, tableLength, (nint)t, tileLength, partitions);
                if (threads == 1)
                {
                    for (int p = 0; p < partitions; p++)
                    {
                        AccumulatePartition(operands, p, 0, options);
                    }
                }
                else
                {
                    // Each thread's Gemms stay on that thread; only the blocking carries over, so a copy of the options is needed
                    // (and allocated) only for a non-default blocking.
                    BlasOptions serial = options.Blocking is null ? BlasOptions.SingleThreaded : options with { MaxThreads = 1 };
                    AccumulatePartitionsInParallel(operands, threads, serial);
                }
            }
            _map.FoldGradient(tableGradients.AsSpan(0, partitions * tableLength), partitions, weightGradient, beta);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(tiles);
            ArrayPool<T>.Shared.Return(tableGradients);
        }
    }

    /// <summary>
    /// The threaded path of <see cref="BackwardParameters"/>: thread s takes the partitions s, s + threads, … with its own
    /// tile, and runs its Gemms on itself (<paramref name="serial"/>).
    /// </summary>
    private void AccumulatePartitionsInParallel(GradientOperands operands, int threads, BlasOptions serial) =>
        ParallelParts.Run(new PartitionParts(this, operands, threads, serial), threads);

    private readonly struct PartitionParts(HashedLinear<T> layer, GradientOperands operands, int threads, BlasOptions serial) : IParts
    {
        public void Run(int part)
        {
            for (int p = part; p < operands.Partitions; p += threads)
            {
                layer.AccumulatePartition(operands, p, part, serial);
            }
        }
    }

    /// <summary>
    /// Table gradient of partition <paramref name="partition"/> (rows [p·outputs/P, (p + 1)·outputs/P) of V): cleared,
    /// then, tile by tile, (dYᵀX)[i0 .. i0 + rows, :] = dY[:, i0 ..]ᵀ·X is formed in tile <paramref name="slot"/> and
    /// scattered into the buckets while it is in cache, keys in ascending order.
    /// </summary>
    private unsafe void AccumulatePartition(in GradientOperands o, int partition, int slot, BlasOptions options)
    {
        int first = (int)((long)partition * Outputs / o.Partitions), end = (int)((long)(partition + 1) * Outputs / o.Partitions);
        var gradient = new Span<T>((T*)o.TableGradients + (nint)partition * o.TableLength, o.TableLength);
        var tile = new Span<T>((T*)o.Tiles + (nint)slot * o.TileLength, o.TileLength);
        gradient.Clear();
        var input = new PinnedMatrixSource<T>((T*)o.X, o.XLength, o.Batch, Inputs, o.XStride, Transpose.None);
        for (int i0 = first; i0 < end; i0 += o.TileRows)
        {
            int rows = Math.Min(o.TileRows, end - i0);
            var virtualGradient = new MatrixView<T>(tile, rows, Inputs);
            var dyT = new PinnedMatrixSource<T>((T*)o.OutputGradient + i0, o.OutputGradientLength - i0, o.Batch, rows, o.OutputGradientStride, Transpose.Transposed);
            Level3.Gemm(T.One, dyT, input, T.Zero, virtualGradient, options);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<T> line = virtualGradient.Row(r);
                uint key = (uint)(i0 + r) * (uint)Inputs;
                for (int j0 = 0; j0 < Inputs; j0 += HashedWeightMap<T>.Run)
                {
                    int n = Math.Min(HashedWeightMap<T>.Run, Inputs - j0);
                    _map.ScatterAdd(key + (uint)j0, line.Slice(j0, n), gradient);
                }
            }
        }
    }

    /// <summary>The pinned operands and pooled buffers of one <see cref="BackwardParameters"/> call, as addresses (the thread parts hold them).</summary>
    private readonly record struct GradientOperands(nint X, int XLength, int XStride, nint OutputGradient, int OutputGradientLength, int OutputGradientStride, int Batch, int TileRows,
        nint TableGradients, int TableLength, nint Tiles, int TileLength, int Partitions);

    /// <summary>The lookup table of the current weights, from the array pool; the caller returns it.</summary>
    private T[] RentTable()
    {
        T[] table = ArrayPool<T>.Shared.Rent(_map.TableLength);
        _map.FillTable(_weights, table);
        return table;
    }

    private static ReadOnlySpan<T> Used(ReadOnlyMatrixView<T> m) => m.Data[..(int)Guard.RequiredLength(m.Rows, m.Columns, m.Stride)];

    private static BlasOptions Checked(BlasOptions? options)
    {
        options ??= BlasOptions.Default;
        options.Validate();
        return options;
    }
}
