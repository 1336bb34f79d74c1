using System.Numerics;
using System.Runtime.CompilerServices;
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
/// 2¹⁶ multiply-adds of A's entries, at most <see cref="MaxParts"/>); each part sums its terms into its own s × n block
/// in ascending order of A's rows, and the blocks are added in part order. The result is therefore the same bits for
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

    /// <summary>Hash evaluations kept per chunk of a row block of A (all blocks of S), as in the materialized operator.</summary>
    private const int ChunkEntries = 4096;

    private readonly int[] _blockStart;
    private readonly ulong[][] _coefficients;
    private readonly T _scale;
    private T[] _partials = [];

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
    /// <exception cref="ArgumentException">P's structure is invalid or a value is not finite, a shape does not match, C·d exceeds <see cref="MaxProductRows"/>, or the destination overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
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
        int block = Rows * n;
        if (parts > 1 && _partials.Length < (long)parts * block)
        {
            _partials = new T[(long)parts * block];
        }
        int threads = options.ThreadsFor(work * NonzerosPerColumn, parts);
        fixed (int* pointers = rowPointers)
        fixed (int* columns = columnIndices)
        fixed (T* entries = values)
        fixed (T* px = x.Data)
        fixed (T* partials = _partials)
        fixed (T* pd = destination.Data)
        {
            var job = new Parts(this, pointers, neurons, columns, entries, px, x.Stride, d, n,
                parts == 1 ? pd : partials, parts == 1 ? destination.Stride : n, parts);
            if (threads == 1)
            {
                for (int part = 0; part < parts; part++)
                {
                    job.Run(part);
                }
            }
            else
            {
                ParallelParts.Run(job, parts, threads);
            }
        }
        if (parts > 1)
        {
            for (int r = 0; r < Rows; r++)
            {
                var row = destination.Row(r);
                _partials.AsSpan(r * n, n).CopyTo(row);
                for (int part = 1; part < parts; part++)
                {
                    Level1.Axpy(T.One, _partials.AsSpan(part * block + r * n, n), row);
                }
            }
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
    /// Part p: rows [C·p/parts, C·(p+1)/parts) of P into its own s × n block (the destination itself when there is one
    /// part). For each row c of P, the columns c·d … c·d + d − 1 of S are hashed a chunk at a time (all blocks), then
    /// each stored P[c, i] scatters P[c, i]·X[i, k] into row h_b(c·d + k) of column i for every block b.
    /// </summary>
    private readonly struct Parts(KhatriRaoSparseEmbedding<T> owner, int* pointers, int neurons, int* columns, T* values, T* x, int xStride, int d, int n,
        T* output, int outputStride, int parts) : IParts
    {
        public void Run(int part)
        {
            int first = (int)((long)neurons * part / parts), last = (int)((long)neurons * (part + 1) / parts);
            T* target = parts == 1 ? output : output + (nint)part * owner.Rows * n;
            for (int r = 0; r < owner.Rows; r++)
            {
                new Span<T>(target + (nint)r * outputStride, n).Clear();
            }
            int blocks = owner.NonzerosPerColumn;
            int chunk = Math.Clamp(ChunkEntries / blocks, 1, SignedBlockHashing<T>.Chunk);
            Span<int> rows = stackalloc int[ChunkEntries];
            Span<T> signs = stackalloc T[ChunkEntries];
            for (int c = first; c < last; c++)
            {
                int start = pointers[c], end = pointers[c + 1];
                if (start == end)
                {
                    continue;
                }
                for (int k0 = 0; k0 < d; k0 += chunk)
                {
                    int count = Math.Min(chunk, d - k0);
                    for (int b = 0; b < blocks; b++)
                    {
                        SignedBlockHashing<T>.HashColumns(new MersennePolynomial(owner._coefficients[b], 31), owner._blockStart[b], owner._blockStart[b + 1],
                            owner._scale, c * d + k0, count, rows.Slice(b * chunk, count), signs.Slice(b * chunk, count));
                    }
                    for (int e = start; e < end; e++)
                    {
                        Scatter(values[e], x + (nint)columns[e] * xStride + k0, target + columns[e], rows, signs, chunk, count, blocks);
                    }
                }
            }
        }

        /// <summary>For k &lt; count and every block b: out[rows[b·chunk + k], 0] += signs[b·chunk + k]·(weight·xi[k]), out already offset to column i.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Scatter(T weight, T* xi, T* column, Span<int> rows, Span<T> signs, int chunk, int count, int blocks)
        {
            nint stride = outputStride;
            for (int k = 0; k < count; k++)
            {
                T entry = weight * xi[k];
                for (int b = 0; b < blocks; b++)
                {
                    ref T element = ref column[rows[b * chunk + k] * stride];
                    element = VectorMath.MultiplyAdd(signs[b * chunk + k], entry, element);
                }
            }
        }
    }
}
