using System.Numerics;
using Kernels.Blas;
using Kernels.Sketching.Operators;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Operators;

/// <summary>
/// <see cref="KhatriRaoSparseEmbedding{T}"/> against the materialized pieces it avoids: P ⊙ Xᵀ built as a
/// <see cref="CsrMatrix{T}"/> and sketched by the sampled <see cref="SparseEmbedding{T}"/> of the same seed.
/// </summary>
public sealed class KhatriRaoSparseEmbeddingTests
{
    /// <summary>
    /// Below one part the implicit sketch sums every element in the materialized operator's order (ascending rows of A,
    /// the same products P[c, i]·X[i, k]), so the bits agree; d not a multiple of 8, t not dividing s, empty rows of P
    /// and two seeds in a row on one instance (the hashes are redrawn in place) are all covered.
    /// </summary>
    [Theory]
    [InlineData(40, 6, 5, 10, 3)]
    [InlineData(30, 16, 128, 64, 4)]
    [InlineData(25, 4, 12, 8, 1)]
    [InlineData(9, 3, 33, 12, 2)]
    [InlineData(60, 8, 8, 32, 4)]
    public void OnePartIsTheMaterializedSketchBitForBit(int neurons, int n, int d, int s, int t)
    {
        Check<double>(neurons, n, d, s, t);
        Check<float>(neurons, n, d, s, t);

        static void Check<T>(int neurons, int n, int d, int s, int t) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var problem = KhatriRaoCase<T>.Draw(neurons, n, d, seed: neurons + d);
            var sketch = new KhatriRaoSparseEmbedding<T>(s, t);
            foreach (ulong seed in new[] { 3UL, 77UL })
            {
                var actual = new T[s * n];
                sketch.Apply(seed, problem.RowPointers, problem.Columns, problem.Values, problem.X, new MatrixView<T>(actual, s, n), BlasOptions.SingleThreaded);
                var expected = problem.MaterializedSketch(s, t, seed);
                SketchReference.AssertIdentical<T>(expected, actual, $"{typeof(T).Name}, C = {neurons}, n = {n}, d = {d}, s = {s}, t = {t}, seed {seed}");
            }
        }
    }

    /// <summary>
    /// Several parts re-associate each element's sum (part sums added in order), so the result matches the materialized
    /// one to rounding: both are sums of the same N ≤ C·d terms of magnitude ≤ |A|·(1/√t), so they differ by at most
    /// 2·N·u·Σ|terms| (recursive summation, u the unit roundoff). The parts are fixed by the size, so one thread and two
    /// give the same bits.
    /// </summary>
    [Fact]
    public void SeveralPartsMatchToRoundingAndDoNotDependOnTheThreads()
    {
        const int neurons = 3000, n = 12, d = 40, s = 48, t = 4;
        var problem = KhatriRaoCase<double>.Draw(neurons, n, d, seed: 5);
        Assert.True(problem.Values.Length * (long)d >= 2 << 16, "the case must take more than one part");
        var sketch = new KhatriRaoSparseEmbedding<double>(s, t);
        var single = new double[s * n];
        var threaded = new double[s * n];
        sketch.Apply(9, problem.RowPointers, problem.Columns, problem.Values, problem.X, new MatrixView<double>(single, s, n), BlasOptions.SingleThreaded);
        sketch.Apply(9, problem.RowPointers, problem.Columns, problem.Values, problem.X, new MatrixView<double>(threaded, s, n),
            new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 });
        SketchReference.AssertIdentical<double>(single, threaded, "one thread against two");

        var expected = problem.MaterializedSketch(s, t, 9);
        var magnitude = problem.ColumnMagnitudes();
        for (int r = 0; r < s; r++)
        {
            for (int i = 0; i < n; i++)
            {
                double tolerance = 2.0 * neurons * d * (double.BitIncrement(1.0) - 1.0) * magnitude[i];
                Assert.True(Math.Abs(single[r * n + i] - expected[r * n + i]) <= tolerance,
                    $"S·A[{r}, {i}] = {single[r * n + i]}, materialized {expected[r * n + i]}, tolerance {tolerance}");
            }
        }
    }

    [Fact]
    public void ApplyingAllocatesNothingAfterWarmUp()
    {
        var problem = KhatriRaoCase<double>.Draw(3000, 12, 40, seed: 6);
        var sketch = new KhatriRaoSparseEmbedding<double>(48, 4);
        var destination = new double[48 * 12];
        ulong seed = 0;
        long allocated = Allocation.Measure(() => sketch.Apply(++seed, problem.RowPointers, problem.Columns, problem.Values, problem.X,
            new MatrixView<double>(destination, 48, 12), BlasOptions.SingleThreaded));
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void BadInputThrowsBeforeWriting()
    {
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => new KhatriRaoSparseEmbedding<double>(0, 1)).ParamName);
        Assert.Equal("nonzerosPerColumn", Assert.Throws<ArgumentOutOfRangeException>(() => new KhatriRaoSparseEmbedding<double>(4, 0)).ParamName);
        Assert.Equal("nonzerosPerColumn", Assert.Throws<ArgumentOutOfRangeException>(() => new KhatriRaoSparseEmbedding<double>(4, 5)).ParamName);

        var sketch = new KhatriRaoSparseEmbedding<double>(8, 2);
        var x = new double[3 * 4];
        var destination = new double[8 * 3];
        Array.Fill(destination, 7.0);
        void Throws<TException>(string name, int[] pointers, int[] columns, double[] values, int rows = 8, int cols = 3, BlasOptions? options = null)
            where TException : ArgumentException
        {
            Assert.Equal(name, Assert.Throws<TException>(() => sketch.Apply(1, pointers, columns, values, new ReadOnlyMatrixView<double>(x, 3, 4),
                new MatrixView<double>(destination, rows, cols), options)).ParamName);
            Assert.All(destination, v => Assert.Equal(7.0, v));
        }
        Throws<ArgumentException>("rowPointers", [], [], []);
        Throws<ArgumentException>("rowPointers", [1, 2], [0], [1.0]);
        Throws<ArgumentException>("rowPointers", [0, 2, 1, 2], [0, 1], [1.0, 1.0]);
        Throws<ArgumentException>("rowPointers", [0, 1], [0, 1], [1.0, 1.0]);
        Throws<ArgumentException>("values", [0, 2], [0, 1], [1.0]);
        Throws<ArgumentOutOfRangeException>("columnIndices", [0, 2], [0, 3], [1.0, 1.0]);
        Throws<ArgumentOutOfRangeException>("columnIndices", [0, 1], [-1], [1.0]);
        Throws<ArgumentException>("values", [0, 1], [0], [double.NaN]);
        Throws<ArgumentException>("values", [0, 1], [0], [double.PositiveInfinity]);
        Throws<ArgumentException>("destination", [0, 1], [0], [1.0], rows: 7);
        Throws<ArgumentException>("destination", [0, 1], [0], [1.0], cols: 2);
        Throws<ArgumentOutOfRangeException>("MaxThreads", [0, 1], [0], [1.0], options: new BlasOptions { MaxThreads = 0 });
        var shared = new double[8 * 3];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(
            () => sketch.Apply(1, [0, 1], [0], [1.0], new ReadOnlyMatrixView<double>(shared, 3, 4), new MatrixView<double>(shared, 8, 3))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(
            () => sketch.Apply(1, [0, 1], [0], shared.AsSpan(0, 1), new ReadOnlyMatrixView<double>(x, 3, 4), new MatrixView<double>(shared, 8, 3))).ParamName);

        // Too many rows of A to hash: C·d above 2³¹ − 2, with the size in the message.
        var pointers = new int[(1 << 21) + 1];
        var wide = new double[1024];
        var error = Assert.Throws<ArgumentException>(
            () => sketch.Apply(1, pointers, [], [], new ReadOnlyMatrixView<double>(wide, 1, 1024), new MatrixView<double>(new double[8], 8, 1)));
        Assert.Equal("rowPointers", error.ParamName);
        Assert.Contains("2147483648", error.Message);

        // A huge odd d: a window of hashed keys is 8·d (here 2³¹ + 8, past an int) per block, refused with its size in
        // bytes rather than overflowing. X has no rows, so nothing large exists; one neuron keeps C·d hashable.
        const int odd = (1 << 28) + 1;
        error = Assert.Throws<ArgumentException>(
            () => sketch.Apply(1, [0, 0], [], [], new ReadOnlyMatrixView<double>([], 0, odd), new MatrixView<double>([], 8, 0)));
        Assert.Equal("x", error.ParamName);
        Assert.Contains($"{2 * (8L * odd) * (sizeof(int) + sizeof(double))} bytes", error.Message);
    }
}
