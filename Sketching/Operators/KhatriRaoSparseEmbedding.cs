using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Kernels.Blas;
using Kernels.Simd;
using Kernels.Sketching.Hashing;

namespace Kernels.Sketching.Operators;

/// <summary>
/// S·A for an OSNAP sparse embedding S and a tall A = P ⊙ Xᵀ that is a Khatri–Rao product, without forming S or A:
/// P is a sparse C × n matrix (CSR), X a dense n × d matrix, and column i of A (C·d × n) is P[:, i] ⊗ X[i, :], i.e.
/// A[c·d + k, i] = P[c, i]·X[i, k]. The transposed Jacobian of a two-layer network has this form (c a neuron, k an input
/// coordinate, P[c, i] its output weight where point i activates it), so its sketch costs t·d·nnz(P) multiply-adds and
/// no memory beyond the s × n result, where materializing Jᵀ would take d·nnz(P) stored entries.
/// </summary>
/// <remarks>
/// <para><b>The same matrix as the sampled operator.</b> <see cref="Apply"/> with seed σ uses the S of
/// <c>new SparseEmbeddingDistribution(Rows, C·d, NonzerosPerColumn).Sample&lt;T&gt;(σ)</c>: the block hashes are drawn
/// from the seed the same way and evaluated on the same keys (column c·d + k of S for row (c, k) of A). Each call
/// redraws them into storage this object owns, so a new seed per call (a fresh sketch every Gauss–Newton iteration)
/// allocates nothing.</para>
/// <para><b>Order and threads.</b> The rows of P are cut into parts fixed by the problem's size alone (one part below
/// 2¹⁶ multiply-adds of A's entries, at most <see cref="MaxParts"/>); each part sums its terms into its own block of
/// s·n partial sums in ascending order of A's rows, and the blocks are added in part order. The result is therefore the same bits for
/// any thread count, and with one part it is the same bits as <see cref="ISketch{T}.Apply(Kernels.Sparse.CsrMatrix{T}, MatrixView{T})"/>
/// on the materialized A (whose stored values are the products P[c, i]·X[i, k]).</para>
/// <para>One instance keeps per-part scratch, so it must not be applied from two threads at once.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed unsafe class KhatriRaoSparseEmbedding<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Most parts the rows of P are cut into (each with its own s × n block of partial sums).</summary>
    public const int MaxParts = 8;

    /// <summary>Multiply-adds of A's entries (d·nnz(P)) per part, at least: below this the work runs as one part.</summary>
    private const long PartWork = 1 << 16;

    /// <summary>Keys (columns of S) hashed at a time per block, about: their rows and values stay in L1.</summary>
    private const int WindowKeys = 512;

    private readonly int[] _blockStart;
    private readonly ulong[][] _coefficients;
    private readonly T _scale;
    private T[] _partials = [];
    private int[] _rows = [];      // per part: t windows of hashed rows
    private T[] _signs = [];       // per part: t windows of ±1/√t
    private T[] _entries = [];     // per part: P[c, i]·X[i, :]
    private ulong[] _state = [];   // per part and block: the difference table of the block's hash (AVX-512 path)

    /// <summary>Sketches with s = <paramref name="rows"/> rows and t = <paramref name="nonzerosPerColumn"/> nonzeros per column, one in each block of rows (see <see cref="SparseEmbeddingDistribution"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or <paramref name="nonzerosPerColumn"/> exceeds <paramref name="rows"/>.</exception>
    public KhatriRaoSparseEmbedding(int rows, int nonzerosPerColumn)
    {
        ElementType.Require<T>();
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(nonzerosPerColumn, 1);
        if (nonzerosPerColumn > rows)
        {
            throw new ArgumentOutOfRangeException(nameof(nonzerosPerColumn), nonzerosPerColumn,
                $"nonzerosPerColumn must not exceed the {rows} rows: each column has one nonzero per block of rows.");
        }
        Rows = rows;
        NonzerosPerColumn = nonzerosPerColumn;
        _blockStart = new int[nonzerosPerColumn + 1];
        for (int b = 0; b <= nonzerosPerColumn; b++)
        {
            _blockStart[b] = SignedBlockHashing<T>.BlockStart(b, rows, nonzerosPerColumn);
        }
        _coefficients = new ulong[nonzerosPerColumn][];
        for (int b = 0; b < nonzerosPerColumn; b++)
        {
            _coefficients[b] = new ulong[SignedBlockHashing<T>.Independence];
        }
        _scale = SignedBlockHashing<T>.Scale(nonzerosPerColumn);
    }

    /// <summary>s: the rows of S and of the result.</summary>
    public int Rows { get; }

    /// <summary>t: the nonzeros of every column of S.</summary>
    public int NonzerosPerColumn { get; }

    /// <summary>The most rows C·d that A may have: S's column keys must lie below the hash field's prime 2³¹ − 1.</summary>
    public const long MaxProductRows = int.MaxValue - 1;

    /// <summary>destination ← S·(P ⊙ Xᵀ), with S the OSNAP matrix of <paramref name="seed"/> over C·d columns.</summary>
    /// <param name="seed">The seed of S, as in <see cref="SketchDistribution.Sample{T}(ulong)"/>.</param>
    /// <param name="rowPointers">P's C + 1 row offsets: starting at 0, non-decreasing, ending at the entry count.</param>
    /// <param name="columnIndices">P's column of each stored entry, in [0, n) with n = X's rows (any order within a row).</param>
    /// <param name="values">P's value of each stored entry, finite; as many as <paramref name="columnIndices"/>.</param>
    /// <param name="x">X, n × d; NaN and infinity propagate as in a matrix product.</param>
    /// <param name="destination">Receives S·A, s × n; must not share memory with X or P's values.</param>
    /// <param name="options">Thread cap and threshold; the result does not depend on them.</param>
    /// <exception cref="ArgumentException">P's structure is invalid or a value is not finite, a shape does not match, C·d exceeds <see cref="MaxProductRows"/>, the partial sums (up to <see cref="MaxParts"/>·s·n elements) or the windows of hashed rows (up to MaxParts·t·8·d) exceed one array, or the destination overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, n), or an option is out of range.</exception>
    public void Apply(ulong seed, ReadOnlySpan<int> rowPointers, ReadOnlySpan<int> columnIndices, ReadOnlySpan<T> values,
        ReadOnlyMatrixView<T> x, MatrixView<T> destination, BlasOptions? options = null)
    {
        int n = x.Rows, d = x.Columns;
        Validate(rowPointers, columnIndices, values, n, d);
        Guard.RequireShape<T>(destination, Rows, n, nameof(destination), "s × n, with n = x.Rows");
        Guard.RequireDisjoint<T>(x, nameof(x), destination, nameof(destination));
        if (!values.IsEmpty && destination.Rows > 0 && n > 0)
        {
            Guard.RequireDisjoint(values, nameof(values), destination.Data, nameof(destination));
        }
        options ??= BlasOptions.Default;
        options.Validate();
        for (int b = 0; b < NonzerosPerColumn; b++)
        {
            SignedBlockHashing<T>.DrawBlockHash(seed, b, _coefficients[b]);
        }
        int neurons = rowPointers.Length - 1;
        long work = (long)values.Length * d;
        int parts = (int)Math.Clamp(work / PartWork, 1, Math.Min(MaxParts, Math.Max(neurons, 1)));
        long keys = Window(Math.Max(d, 1));
        long scratch = (long)parts * Rows * n;
        if (scratch > Array.MaxLength)
        {
            throw new ArgumentException(
                $"The {parts} parts' partial sums of S·A would take {scratch * sizeof(T)} bytes ({parts}·{Rows}·{n} elements), more than one array holds.", nameof(x));
        }
        if ((long)parts * NonzerosPerColumn * keys > Array.MaxLength)
        {
            // A window is a multiple of d (up to 8·d), so a huge d alone can overflow the hashed rows' buffers.
            throw new ArgumentException(
                $"x has d = {d} columns: the {parts} parts' windows of hashed rows would take {(long)parts * NonzerosPerColumn * keys * (sizeof(int) + System.Runtime.CompilerServices.Unsafe.SizeOf<T>())} bytes ({parts}·{NonzerosPerColumn}·{keys} keys), more than one array holds.", nameof(x));
        }
        int window = (int)keys;
        int block = Rows * n;
        Grow(ref _partials, (long)parts * block);
        Grow(ref _rows, (long)parts * NonzerosPerColumn * window);
        Grow(ref _signs, (long)parts * NonzerosPerColumn * window);
        Grow(ref _entries, (long)parts * d);
        Grow(ref _state, (long)parts * NonzerosPerColumn * 4 * 8);
        int threads = options.ThreadsFor(work * NonzerosPerColumn, parts);
        fixed (int* pointers = rowPointers)
        fixed (int* columns = columnIndices)
        fixed (T* entries = values)
        fixed (T* px = x.Data)
        fixed (T* partials = _partials)
        {
            ParallelParts.Run(new Parts(this, pointers, neurons, columns, entries, px, x.Stride, d, n, partials, parts, window), parts, threads);
        }
        // The parts' blocks hold (S·A)ᵀ, a column of S·A contiguous; added in part order into S·A.
        for (int r = 0; r < Rows; r++)
        {
            var row = destination.Row(r);
            for (int i = 0; i < n; i++)
            {
                T sum = _partials[i * Rows + r];
                for (int part = 1; part < parts; part++)
                {
                    sum += _partials[part * block + i * Rows + r];
                }
                row[i] = sum;
            }
        }
    }

    /// <summary>Keys hashed at a time: a multiple of d and of 8 (the lanes of the stepped hashes), about <see cref="WindowKeys"/>.</summary>
    private static long Window(int d)
    {
        long step = d % 8 == 0 ? d : d % 4 == 0 ? 2L * d : d % 2 == 0 ? 4L * d : 8L * d;
        return step * Math.Max(1, WindowKeys / step);
    }

    private static void Grow<TElement>(ref TElement[] array, long length)
    {
        if (array.Length < length)
        {
            array = new TElement[length];
        }
    }

    /// <summary>Checks P's CSR structure against n, its values, and that A's C·d rows can be hashed.</summary>
    private static void Validate(ReadOnlySpan<int> rowPointers, ReadOnlySpan<int> columnIndices, ReadOnlySpan<T> values, int n, int d)
    {
        if (rowPointers.IsEmpty)
        {
            throw new ArgumentException("rowPointers is empty; expected C + 1 offsets for P's C rows.", nameof(rowPointers));
        }
        Guard.RequireLength(values.Length, columnIndices.Length, nameof(values), "one value per column index");
        int neurons = rowPointers.Length - 1;
        if (rowPointers[0] != 0 || rowPointers[neurons] != columnIndices.Length)
        {
            throw new ArgumentException(
                $"rowPointers runs from {rowPointers[0]} to {rowPointers[neurons]}; expected 0 to the {columnIndices.Length} stored entries.", nameof(rowPointers));
        }
        for (int c = 0; c < neurons; c++)
        {
            if (rowPointers[c + 1] < rowPointers[c])
            {
                throw new ArgumentException(
                    $"rowPointers decreases at row {c}: {rowPointers[c]} > {rowPointers[c + 1]}; expected non-decreasing offsets.", nameof(rowPointers));
            }
        }
        Guard.RequireAllBelow(columnIndices, n, nameof(columnIndices));
        for (int e = 0; e < values.Length; e++)
        {
            if (!T.IsFinite(values[e]))
            {
                throw new ArgumentException($"values[{e}] is {values[e]}; P's stored values must be finite.", nameof(values));
            }
        }
        long products = (long)neurons * d;
        if (products > MaxProductRows)
        {
            throw new ArgumentException(
                $"P ⊙ Xᵀ would have C·d = {neurons}·{d} = {products} rows, more than the {MaxProductRows} columns S can hash.", nameof(rowPointers));
        }
    }

    /// <summary>
    /// Part p: rows [C·p/parts, C·(p+1)/parts) of P into its own n × s block, (S·A)ᵀ of its rows. The columns of S that the part meets are consecutive (c·d + k), so they are hashed a window of
    /// <c>window</c> keys at a time (a multiple of d, so a row of P never straddles two windows) into the part's
    /// buffers of rows and values; then each stored P[c, i] scatters P[c, i]·X[i, k] into row h_b(c·d + k) of column i
    /// for every block b.
    /// </summary>
    private readonly struct Parts(KhatriRaoSparseEmbedding<T> owner, int* pointers, int neurons, int* columns, T* values, T* x, int xStride, int d, int n,
        T* output, int parts, int window) : IParts
    {
        public void Run(int part)
        {
            int first = (int)((long)neurons * part / parts), last = (int)((long)neurons * (part + 1) / parts);
            int s = owner.Rows;
            T* target = output + (nint)part * s * n;
            new Span<T>(target, s * n).Clear();
            int blocks = owner.NonzerosPerColumn;
            var rows = owner._rows.AsSpan(part * blocks * window, blocks * window);
            var signs = owner._signs.AsSpan(part * blocks * window, blocks * window);
            var entries = owner._entries.AsSpan(part * d, d);
            var hashes = new ConsecutiveKeys(owner, blocks, owner._state.AsSpan(part * blocks * 4 * 8, blocks * 4 * 8));
            long windowStart = (long)first * d, windowEnd = windowStart;
            for (int c = first; c < last; c++)
            {
                int start = pointers[c], end = pointers[c + 1];
                long key = (long)c * d;
                if (key >= windowEnd)
                {
                    windowStart = key;
                    windowEnd = key + window;
                    hashes.Fill(key, rows, signs, window);
                }
                if (start == end)
                {
                    continue;
                }
                int offset = (int)(key - windowStart);
                fixed (int* hashedRows = rows)
                fixed (T* hashedSigns = signs)
                fixed (T* scaled = entries)
                {
                    for (int e = start; e < end; e++)
                    {
                        Scale(values[e], x + (nint)columns[e] * xStride, scaled, d);
                        Scatter(scaled, d, hashedRows + offset, hashedSigns + offset, window, blocks, target + (nint)columns[e] * s);
                    }
                }
            }
        }

        /// <summary>entries[k] ← weight·xi[k]: the stored values of A in rows c·d … c·d + d − 1, column i.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Scale(T weight, T* xi, T* entries, int d)
        {
            int k = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; k + Vector512<T>.Count <= d; k += Vector512<T>.Count)
                {
                    (weight * Vector512.Load(xi + k)).Store(entries + k);
                }
            }
            for (; k < d; k++)
            {
                entries[k] = weight * xi[k];
            }
        }

        /// <summary>
        /// For every block b and k ascending: column[offsets[b·window + k]] += signs[b·window + k]·entries[k], where the
        /// offsets are the hashed rows and column points at column i of the part's (S·A)ᵀ block (a column of S·A is
        /// contiguous there, so a point's updates stay within s elements). Blocks own disjoint rows, so every element
        /// still receives its terms in ascending k.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Scatter(T* entries, int d, int* offsets, T* signs, int window, int blocks, T* column)
        {
            for (int b = 0; b < blocks; b++, offsets += window, signs += window)
            {
                for (int k = 0; k < d; k++)
                {
                    int at = offsets[k];
                    column[at] = VectorMath.MultiplyAdd(signs[k], entries[k], column[at]);
                }
            }
        }
    }

    /// <summary>
    /// The rows and values of S's columns at consecutive keys, block by block. With AVX-512 each block's polynomial is
    /// stepped by forward differences: eight lanes hold h(x), Δh, Δ²h and Δ³h (step 8) and advance by three additions
    /// modulo p per eight keys, exact in integers, so the values are those of the Horner evaluation; other machines
    /// hash through <see cref="SignedBlockHashing{T}.HashColumns"/>.
    /// </summary>
    private ref struct ConsecutiveKeys(KhatriRaoSparseEmbedding<T> owner, int blocks, Span<ulong> states)
    {
        private const ulong Prime = (1UL << 31) - 1;
        private readonly Span<ulong> _states = states;
        private long _next = -1;

        /// <summary>Rows and values of keys [key, key + count) for every block, block b at b·count of the buffers.</summary>
        public void Fill(long key, Span<int> rows, Span<T> signs, int count)
        {
            if (!Vector512.IsHardwareAccelerated)
            {
                for (int b = 0; b < blocks; b++)
                {
                    for (int k0 = 0; k0 < count; k0 += SignedBlockHashing<T>.Chunk)
                    {
                        int length = Math.Min(SignedBlockHashing<T>.Chunk, count - k0);
                        SignedBlockHashing<T>.HashColumns(new MersennePolynomial(owner._coefficients[b], 31), owner._blockStart[b], owner._blockStart[b + 1],
                            owner._scale, (int)(key + k0), length, rows.Slice(b * count + k0, length), signs.Slice(b * count + k0, length));
                    }
                }
                return;
            }
            if (key != _next)
            {
                Start(key);
            }
            for (int b = 0; b < blocks; b++)
            {
                Step(b, rows.Slice(b * count, count), signs.Slice(b * count, count));
            }
            _next = key + count;
        }

        /// <summary>The difference tables of every block at keys key + j + 8q, q = 0 … 3.</summary>
        private readonly void Start(long key)
        {
            Span<ulong> table = stackalloc ulong[4 * 8];
            for (int b = 0; b < blocks; b++)
            {
                var polynomial = new MersennePolynomial(owner._coefficients[b], 31);
                for (int j = 0; j < 8; j++)
                {
                    ulong h0 = polynomial.Hash((uint)(key + j)), h1 = polynomial.Hash((uint)(key + j + 8));
                    ulong h2 = polynomial.Hash((uint)(key + j + 16)), h3 = polynomial.Hash((uint)(key + j + 24));
                    ulong d1 = Subtract(h1, h0), d2 = Subtract(Subtract(h2, h1), d1);
                    ulong d3 = Subtract(Subtract(Subtract(h3, h2), Subtract(h2, h1)), d2);
                    table[j] = h0;
                    table[8 + j] = d1;
                    table[16 + j] = d2;
                    table[24 + j] = d3;
                }
                var state = _states.Slice(4 * 8 * b, 4 * 8);
                table.CopyTo(state);
            }
        }

        private static ulong Subtract(ulong a, ulong b) => a >= b ? a - b : a + Prime - b;

        /// <summary>Block b's rows and values for the next rows.Length keys (a multiple of 8), advancing its table.</summary>
        private readonly void Step(int b, Span<int> rows, Span<T> signs)
        {
            var state = _states.Slice(4 * 8 * b, 4 * 8);
            Vector512<ulong> h = Vector512.Create<ulong>(state), d1 = Vector512.Create<ulong>(state[8..]);
            Vector512<ulong> d2 = Vector512.Create<ulong>(state[16..]), d3 = Vector512.Create<ulong>(state[24..]);
            Vector512<ulong> prime = Vector512.Create(Prime);
            int startRow = owner._blockStart[b], buckets = owner._blockStart[b + 1] - startRow;
            Vector512<ulong> twice = Vector512.Create(2UL * (uint)buckets), half = Vector512.Create((ulong)buckets), first = Vector512.Create((ulong)startRow);
            T scale = owner._scale;
            fixed (int* pr = rows)
            fixed (T* ps = signs)
            {
                for (int k = 0; k < rows.Length; k += 8)
                {
                    // The bucket–sign map of HashBatch: w = ⌊h·2B / 2³¹⌋, the sign is − on the upper half w ≥ B.
                    Vector512<ulong> w = Vector512.ShiftRightLogical(Avx512F.Multiply(h.AsUInt32(), twice.AsUInt32()), 31);
                    Vector512<ulong> upper = Vector512.GreaterThanOrEqual(w, half);
                    Avx512F.ConvertToVector256UInt32(w - (upper & half) + first).AsInt32().Store(pr + k);
                    if (typeof(T) == typeof(double))
                    {
                        Vector512.ConditionalSelect(upper.AsDouble(), Vector512.Create(-(double)(object)scale), Vector512.Create((double)(object)scale)).Store((double*)ps + k);
                    }
                    else
                    {
                        Vector256<float> mask = Avx512F.ConvertToVector256UInt32(upper).AsSingle();
                        Vector256.ConditionalSelect(mask, Vector256.Create(-(float)(object)scale), Vector256.Create((float)(object)scale)).Store((float*)ps + k);
                    }
                    h = AddModulo(h, d1, prime);
                    d1 = AddModulo(d1, d2, prime);
                    d2 = AddModulo(d2, d3, prime);
                }
            }
            h.CopyTo(state);
            d1.CopyTo(state[8..]);
            d2.CopyTo(state[16..]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<ulong> AddModulo(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> prime)
        {
            Vector512<ulong> sum = a + b;
            return Vector512.Min(sum, sum - prime);
        }
    }
}
