using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Blas;
using Kernels.Simd;
using Kernels.Randomness;
using Kernels.Sketching.Hashing;
using Kernels.Sparse;

namespace Kernels.Sketching.Operators;

/// <summary>
/// The engine of <see cref="CountSketch{T}"/> and <see cref="SparseEmbedding{T}"/>: an s × N matrix whose column j has
/// one nonzero ±scale in each of t consecutive row blocks, at a row and with a sign drawn by hashing j.
/// </summary>
/// <remarks>
/// <para><b>Sampling.</b> Block b uses its own 4-wise independent polynomial hash over 2³¹ − 1,
/// <c>PolynomialHash(4, CounterRandom.Derive(seed, Purpose("osnap")), stream: b)</c> (the README's seed rule), and takes the row within the block and the sign from one evaluation
/// (<see cref="IHashFunction.BucketAndSign"/>): the pairs are jointly 4-wise independent over columns, which covers
/// CountSketch's 2-wise rows and 4-wise signs, and blocks are independent of one another. Nothing is stored but the
/// 4·t coefficients; rows and signs are recomputed, 256 columns at a time, wherever they are needed.</para>
/// <para><b>Threads.</b> Dense operands are split into column stripes across threads; sparse operands
/// and vectors run on the calling thread.</para>
/// <para><b>Order.</b> Every loop visits columns in ascending order and blocks in ascending order within a column;
/// an output element receives at most one term per column, so it is always summed in ascending column order,
/// whatever the blocking, the thread split or the source of the data.</para>
/// </remarks>
internal sealed unsafe class SignedBlockHashing<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Columns hashed at a time (stack buffers).</summary>
    internal const int Chunk = 256;

    /// <summary>
    /// Bytes of each row of a dense operand that a thread stripe covers, at least. Narrower stripes made each thread
    /// read short strided pieces of every row (and hash every row again): with 2 threads on a 20000 × 200 double
    /// matrix (100-column stripes) the product took 3.5 ms against 1.9 ms on one thread.
    /// </summary>
    private const int MinStripeBytes = 4096;

    /// <summary>The purpose the hashed sketches derive their seed with (<see cref="CounterRandom.Derive"/>); one for both, so CountSketch is OSNAP with t = 1.</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("osnap");

    private readonly int _rows;
    private readonly int _columns;
    private readonly int[] _blockStart;
    private readonly MersennePolynomial[] _hashes;
    private readonly T _scale;

    public SignedBlockHashing(int rows, int columns, int blocks, ulong seed)
    {
        _rows = rows;
        _columns = columns;
        _blockStart = new int[blocks + 1];
        _hashes = new MersennePolynomial[blocks];
        for (int b = 0; b <= blocks; b++)
        {
            _blockStart[b] = BlockStart(b, rows, blocks);
        }
        for (int b = 0; b < blocks; b++)
        {
            var coefficients = new ulong[Independence];
            DrawBlockHash(seed, b, coefficients);
            _hashes[b] = new MersennePolynomial(coefficients, 31);
        }
        _scale = Scale(blocks);
    }

    private int Blocks => _hashes.Length;

    /// <summary>
    /// Rows and values of columns <paramref name="first"/> … first + count − 1 in block <paramref name="block"/>.
    /// </summary>
    private void Hash(int block, int first, int count, Span<int> rows, Span<T> values) =>
        HashColumns(_hashes[block], _blockStart[block], _blockStart[block + 1], _scale, first, count, rows, values);

    /// <summary>
    /// Rows and values (±<paramref name="scale"/>) of columns <paramref name="first"/> … first + count − 1
    /// (count ≤ <see cref="Chunk"/>) in the block of rows [<paramref name="start"/>, <paramref name="end"/>) hashed by
    /// <paramref name="hash"/>: the one place an entry of a hashed sketch is computed, so every operator built on these
    /// blocks (<see cref="KhatriRaoSparseEmbedding{T}"/> too) holds the same matrix for the same seed.
    /// </summary>
    internal static void HashColumns(in MersennePolynomial hash, int start, int end, T scale, int first, int count, Span<int> rows, Span<T> values)
    {
        Span<uint> keys = stackalloc uint[Chunk];
        Span<int> signs = stackalloc int[Chunk];
        keys = keys[..count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = (uint)(first + i);
        }
        HashBatch.BucketsAndSigns(hash, keys, end - start, rows, signs);
        for (int i = 0; i < count; i++)
        {
            rows[i] += start;
            values[i] = signs[i] > 0 ? scale : -scale;
        }
    }

    /// <summary>The first row of block <paramref name="block"/> of <paramref name="blocks"/> over <paramref name="rows"/> rows (block <paramref name="blocks"/> gives the end).</summary>
    internal static int BlockStart(int block, int rows, int blocks) => (int)((long)block * rows / blocks);

    /// <summary>1/√t, the magnitude of every nonzero when a column has t = <paramref name="blocks"/> of them.</summary>
    internal static T Scale(int blocks) => blocks == 1 ? T.One : T.One / T.Sqrt(T.CreateChecked(blocks));

    /// <summary>Draws the coefficients of block <paramref name="block"/>'s 4-wise independent polynomial for the sketch seeded by <paramref name="seed"/> into caller storage of 4 words.</summary>
    internal static void DrawBlockHash(ulong seed, int block, Span<ulong> coefficients) =>
        PolynomialHash.DrawCoefficients(coefficients, 31, new CounterRandom(CounterRandom.Derive(seed, SeedPurpose), (ulong)block));

    /// <summary>Independence of the block hashes: rows are 2-wise and signs 4-wise independent, as CountSketch and OSNAP need.</summary>
    internal const int Independence = 4;

    /// <summary>What is done with each nonzero S[row, column] = value.</summary>
    private interface IEntryVisitor
    {
        void Visit(int row, int column, T value);
    }

    /// <summary>
    /// Calls the visitor on every nonzero of S: columns ascending, blocks ascending within a column, so an output element
    /// that receives one term per column is summed in ascending column order. Columns are hashed a chunk at a time.
    /// </summary>
    private void VisitEntries<TVisitor>(ref TVisitor visitor) where TVisitor : IEntryVisitor, allows ref struct
    {
        Span<int> rows = stackalloc int[Chunk];
        Span<T> values = stackalloc T[Chunk];
        for (int j0 = 0; j0 < _columns; j0 += Chunk)
        {
            int n = Math.Min(Chunk, _columns - j0);
            for (int b = 0; b < Blocks; b++)
            {
                Hash(b, j0, n, rows, values);
                for (int c = 0; c < n; c++)
                {
                    visitor.Visit(rows[c], j0 + c, values[c]);
                }
            }
        }
    }

    public void ApplyVector(ReadOnlySpan<T> x, Span<T> y)
    {
        y.Clear();
        var visitor = new VectorProduct(x, y);
        VisitEntries(ref visitor);
    }

    /// <summary>y[row] += value·x[column].</summary>
    private readonly ref struct VectorProduct(ReadOnlySpan<T> x, Span<T> y) : IEntryVisitor
    {
        private readonly ReadOnlySpan<T> _x = x;
        private readonly Span<T> _y = y;

        public void Visit(int row, int column, T value) => _y[row] = VectorMath.MultiplyAdd(value, _x[column], _y[row]);
    }

    public void ApplyTransposeVector(ReadOnlySpan<T> y, Span<T> x)
    {
        x.Clear();
        var visitor = new VectorProduct(y, x);
        var transposed = new TransposedVectorProduct(visitor);
        VisitEntries(ref transposed);
    }

    /// <summary>x[column] += value·y[row]: the vector product with the roles of row and column swapped.</summary>
    private readonly ref struct TransposedVectorProduct(VectorProduct product) : IEntryVisitor
    {
        private readonly VectorProduct _product = product;

        public void Visit(int row, int column, T value) => _product.Visit(column, row, value);
    }

    /// <summary>
    /// destination += S[:, first … first + a.Rows − 1]·A for the rows of A given (columns first… of S), split into
    /// column stripes of A across threads: a stripe owns its output columns, so no element is shared.
    /// </summary>
    public void Accumulate(int first, ReadOnlyMatrixView<T> a, MatrixView<T> destination, BlasOptions options)
    {
        int d = a.Columns;
        if (d == 0 || a.Rows == 0)
        {
            return;
        }
        int threads = options.ThreadsFor((long)a.Rows * d * Blocks, Math.Max(1, (int)((long)d * sizeof(T) / MinStripeBytes)));
        fixed (T* pa = a.Data)
        fixed (T* pc = destination.Data)
        {
            var job = new StripeJob(this, first, a.Rows, pa, a.Stride, pc, destination.Stride);
            if (threads == 1)
            {
                job.Run(0, d);
                return;
            }
            RunStripes(job, d, threads);
        }
    }

    /// <summary>The threaded split: thread stripe t covers columns [t·d/threads, (t+1)·d/threads) of A.</summary>
    private static void RunStripes(StripeJob job, int d, int threads) => ParallelParts.Run(new StripeParts(job, d, threads), threads);

    private readonly struct StripeParts(StripeJob job, int d, int threads) : IParts
    {
        public void Run(int part)
        {
            int start = (int)((long)part * d / threads), end = (int)((long)(part + 1) * d / threads);
            job.Run(start, end - start);
        }
    }

    public void ApplySparse(CsrMatrix<T> a, MatrixView<T> destination)
    {
        Clear(destination);
        if (destination.Columns == 0)
        {
            return;
        }
        var visitor = new SparseProduct(a, destination);
        VisitEntries(ref visitor);
    }

    /// <summary>Row `row` of the destination += value·(row `column` of A), a scatter of A's stored entries.</summary>
    private readonly ref struct SparseProduct(CsrMatrix<T> a, MatrixView<T> destination) : IEntryVisitor
    {
        private readonly ReadOnlySpan<int> _pointers = a.RowPointers;
        private readonly ReadOnlySpan<int> _columns = a.ColumnIndices;
        private readonly ReadOnlySpan<T> _entries = a.Values;
        private readonly MatrixView<T> _destination = destination;

        /// <remarks>
        /// A plain loop rather than the public <see cref="GatherScatter.ScatterAdd{T}"/>: this runs once per nonzero of S
        /// on a row of a few entries, where that call's checks (indices, overlap, a finite α) cost as much as the work,
        /// and none can fail here — <see cref="CsrMatrix{T}"/> keeps its column indices below A's column count, which is
        /// the destination's, and value is ±1/√t. Span indexing still checks every access. The fused multiply-add is the
        /// one ScatterAdd uses, so the bits are the same.
        /// </remarks>
        public void Visit(int row, int column, T value)
        {
            Range stored = _pointers[column].._pointers[column + 1];
            var columns = _columns[stored];
            var entries = _entries[stored];
            var target = _destination.Row(row);
            for (int k = 0; k < columns.Length; k++)
            {
                ref T element = ref target[columns[k]];
                element = VectorMath.MultiplyAdd(value, entries[k], element);
            }
        }
    }

    public void ApplyTransposeDense(ReadOnlyMatrixView<T> y, MatrixView<T> destination)
    {
        Clear(destination);
        if (destination.Columns == 0)
        {
            return;
        }
        var visitor = new TransposedDenseProduct(y, destination);
        VisitEntries(ref visitor);
    }

    /// <summary>Row `column` of Sᵀ·Y += value·(row `row` of Y).</summary>
    private readonly ref struct TransposedDenseProduct(ReadOnlyMatrixView<T> y, MatrixView<T> destination) : IEntryVisitor
    {
        private readonly ReadOnlyMatrixView<T> _y = y;
        private readonly MatrixView<T> _destination = destination;

        public void Visit(int row, int column, T value) => Level1.Axpy(value, _y.Row(row), _destination.Row(column));
    }

    /// <summary>Rows firstRow … firstRow + destination.Rows − 1 of S.</summary>
    public void WriteRows(int firstRow, MatrixView<T> destination)
    {
        Clear(destination);
        var visitor = new RowWriter(firstRow, destination);
        VisitEntries(ref visitor);
    }

    /// <summary>Places the entries whose rows fall in the destination's range.</summary>
    private readonly ref struct RowWriter(int firstRow, MatrixView<T> destination) : IEntryVisitor
    {
        private readonly MatrixView<T> _destination = destination;

        public void Visit(int row, int column, T value)
        {
            if ((uint)(row - firstRow) < (uint)_destination.Rows)
            {
                _destination[row - firstRow, column] = value;
            }
        }
    }

    /// <summary>Zeroes every row of a view (its stride may leave gaps that belong to someone else).</summary>
    public static void Clear(MatrixView<T> destination)
    {
        for (int r = 0; r < destination.Rows && destination.Columns > 0; r++)
        {
            destination.Row(r).Clear();
        }
    }

    /// <summary>Hashed entries kept per chunk of columns (all blocks), so a chunk is hashed once for all its segments.</summary>
    private const int ChunkEntries = 4096;

    /// <summary>y[k] ← value·x[k] + y[k] for k &lt; n: the row update, without the checks and edge handling of a public axpy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(T value, T* x, T* y, int n)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<T> v = Vector512.Create(value);
            for (; k + Vector512<T>.Count <= n; k += Vector512<T>.Count)
            {
                VectorMath.MultiplyAdd(v, Vector512.Load(x + k), Vector512.Load(y + k)).Store(y + k);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<T> v = Vector256.Create(value);
            for (; k + Vector256<T>.Count <= n; k += Vector256<T>.Count)
            {
                VectorMath.MultiplyAdd(v, Vector256.Load(x + k), Vector256.Load(y + k)).Store(y + k);
            }
        }
        for (; k < n; k++)
        {
            y[k] = VectorMath.MultiplyAdd(value, x[k], y[k]);
        }
    }

    /// <summary>
    /// One column stripe of <see cref="Accumulate"/>, with pinned operands so that threads can share it. Columns of S
    /// are hashed a chunk at a time, then each row of A is added into its destination row(s). (Splitting the rows into
    /// L2-sized segments and prefetching the scattered destination rows were both tried: neither helped, since the
    /// product streams A from memory once and that dominates.)
    /// </summary>
    private readonly struct StripeJob(SignedBlockHashing<T> owner, int first, int count, T* a, int aStride, T* c, int cStride)
    {
        public void Run(int column, int width)
        {
            if (width == 0)
            {
                return;
            }
            int blocks = owner.Blocks;
            int chunk = Math.Clamp(ChunkEntries / blocks, 1, Chunk);
            Span<int> rows = stackalloc int[ChunkEntries];
            Span<T> values = stackalloc T[ChunkEntries];
            for (int j0 = 0; j0 < count; j0 += chunk)
            {
                int n = Math.Min(chunk, count - j0);
                for (int b = 0; b < blocks; b++)
                {
                    owner.Hash(b, first + j0, n, rows.Slice(b * chunk, n), values.Slice(b * chunk, n));
                }
                for (int k = 0; k < n; k++)
                {
                    T* source = a + (nint)(j0 + k) * aStride + column;
                    for (int b = 0; b < blocks; b++)
                    {
                        AddScaled(values[b * chunk + k], source, c + (nint)rows[b * chunk + k] * cStride + column, width);
                    }
                }
            }
        }
    }
}
