using Kernels.Activations;
using Kernels.Blas;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Activations;

/// <summary>
/// <see cref="ThresholdProducts"/> against the scalar chain s = fma(w[k], x[k], s) from s = 0 over k = 0 … d − 1 on
/// each pair (<see cref="MathF.FusedMultiplyAdd"/>): <see cref="ThresholdProducts.All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, Kernels.Blas.BlasOptions?)"/> must equal it bit for bit and
/// <see cref="ThresholdProducts.CompressGreaterOrEqual"/> must report exactly the reference products ≥ τ, on every
/// vector path CI runs, for shapes that cover whole and partial row blocks (12 rows) and point groups (16, 8, 4 points).
/// </summary>
public sealed class ThresholdProductsTests
{
    /// <summary>A <see cref="MatrixCase"/> read as n = Rows points, m = Columns rows of W, d = Depth.</summary>
    [KernelProperty(MaxTest = 60)]
    public void All_equals_the_fused_scalar_chain_bit_for_bit(MatrixCase c)
    {
        var problem = Problem.From(c);
        float[] expected = problem.Reference();
        int stride = problem.M + c.ExtraStride;
        float[] products = new float[problem.N * stride];
        Array.Fill(products, -7f);
        ThresholdProducts.All(problem.W, problem.X, new MatrixView<float>(products, problem.N, problem.M, stride), BlasOptions.SingleThreaded);
        for (int i = 0; i < problem.N; i++)
        {
            for (int r = 0; r < stride; r++)
            {
                float want = r < problem.M ? expected[i * problem.M + r] : -7f;
                Tolerance.AssertIdentical(want, products[i * stride + r], $"{c}: ({i}, {r})");
            }
        }
    }

    /// <summary>The overload on <see cref="PackedPoints"/> gives the same bits, on one thread and on two (the points
    /// packed once, their copy kept apart from later changes to the caller's array).</summary>
    [KernelProperty(MaxTest = 40)]
    public void All_on_packed_points_equals_the_fused_scalar_chain_bit_for_bit(MatrixCase c)
    {
        var problem = Problem.From(c);
        float[] expected = problem.Reference();
        var packed = new PackedPoints(problem.X);
        Assert.Equal((problem.N, c.Depth), (packed.Rows, packed.Columns));
        problem.Scribble();
        int stride = problem.M + c.ExtraStride;
        foreach (var options in new[] { BlasOptions.SingleThreaded, new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 } })
        {
            float[] products = new float[problem.N * stride];
            Array.Fill(products, -7f);
            ThresholdProducts.All(problem.W, packed, new MatrixView<float>(products, problem.N, problem.M, stride), options);
            for (int i = 0; i < problem.N; i++)
            {
                for (int r = 0; r < stride; r++)
                {
                    float want = r < problem.M ? expected[i * problem.M + r] : -7f;
                    Tolerance.AssertIdentical(want, products[i * stride + r], $"{c}, {options.MaxThreads} threads: ({i}, {r})");
                }
            }
        }
    }

    [KernelProperty(MaxTest = 60)]
    public void CompressGreaterOrEqual_reports_exactly_the_reference_products_at_or_above_the_threshold(MatrixCase c)
    {
        var problem = Problem.From(c);
        float[] expected = problem.Reference();
        var sets = new ActiveSets(problem.N);
        // 0, a threshold that makes ties with one product, and ±∞.
        float tie = expected.Length == 0 ? 0.5f : expected[c.Seed % expected.Length];
        foreach (float threshold in new[] { 0f, tie, float.NegativeInfinity, float.PositiveInfinity })
        {
            ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, threshold, sets, BlasOptions.SingleThreaded);
            for (int i = 0; i < problem.N; i++)
            {
                var indices = new List<int>();
                for (int r = 0; r < problem.M; r++)
                {
                    if (expected[i * problem.M + r] >= threshold)
                    {
                        indices.Add(r);
                    }
                }
                Assert.Equal(indices, sets.Indices(i).ToArray());
                for (int t = 0; t < indices.Count; t++)
                {
                    Tolerance.AssertIdentical(expected[i * problem.M + indices[t]], sets.Values(i)[t], $"{c} τ={threshold}: ({i}, {indices[t]})");
                }
            }
        }
    }

    [Fact]
    public void Zero_dimension_gives_positive_zero_products()
    {
        // d = 0 with row stride 0: empty sums, each +0 (the chain's start), for whole blocks and the rows after them.
        float[] products = new float[5 * 13];
        Array.Fill(products, 1f);
        ThresholdProducts.All(new ReadOnlyMatrixView<float>([], 13, 0, 0), new ReadOnlyMatrixView<float>([], 5, 0, 0),
            new MatrixView<float>(products, 5, 13));
        Assert.All(products, value => Tolerance.AssertIdentical(0f, value, "d = 0"));
        var sets = new ActiveSets(5);
        ThresholdProducts.CompressGreaterOrEqual(new ReadOnlyMatrixView<float>([], 13, 0, 0), new ReadOnlyMatrixView<float>([], 5, 0, 0), 0f, sets);
        Assert.Equal(5 * 13, sets.TotalCount);
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var problem = new Problem(1003, 21, 37, extraStride: 1, seed: 5);
        var one = new ActiveSets(21);
        float[] allOne = new float[21 * 1003];
        ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, 0.1f, one, BlasOptions.SingleThreaded);
        ThresholdProducts.All(problem.W, problem.X, new MatrixView<float>(allOne, 21, 1003), BlasOptions.SingleThreaded);
        foreach (int threads in new[] { 2, 3, 7 })
        {
            var options = new BlasOptions { MaxThreads = threads, ParallelThreshold = 0 };
            var many = new ActiveSets(21);
            // Stale contents must be replaced, too.
            many.Set(0, [1, 2, 3], [9f, 9f, 9f]);
            ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, 0.1f, many, options);
            for (int i = 0; i < 21; i++)
            {
                Assert.Equal(one.Indices(i).ToArray(), many.Indices(i).ToArray());
                Assert.True(one.Values(i).SequenceEqual(many.Values(i)), $"{threads} threads, row {i}: values differ");
            }
            float[] allMany = new float[21 * 1003];
            ThresholdProducts.All(problem.W, problem.X, new MatrixView<float>(allMany, 21, 1003), options);
            Assert.True(allOne.AsSpan().SequenceEqual(allMany), $"{threads} threads: products differ");
        }
    }

    [Fact]
    public void Calls_allocate_nothing_after_warm_up()
    {
        var problem = new Problem(2000, 16, 40, extraStride: 0, seed: 2);
        var sets = new ActiveSets(16);
        float[] products = new float[16 * 2000];
        var threaded = new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 };
        var packed = new PackedPoints(problem.X);
        long allocated = Allocation.Measure(() =>
        {
            ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, 0.2f, sets, BlasOptions.SingleThreaded);
            ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, 0.2f, sets, threaded);
            ThresholdProducts.All(problem.W, problem.X, new MatrixView<float>(products, 16, 2000), threaded);
            ThresholdProducts.All(problem.W, packed, new MatrixView<float>(products, 16, 2000), threaded);
            ThresholdProducts.All(problem.W, packed, new MatrixView<float>(products, 16, 2000), BlasOptions.SingleThreaded);
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Bad_arguments_to_CompressGreaterOrEqual_throw_before_writing()
    {
        var problem = new Problem(10, 3, 4, extraStride: 0, seed: 3);
        var sets = new ActiveSets(3);
        sets.Set(1, [7], [2f]);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() =>
            ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, 0f, null!)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, 0f, new ActiveSets(4))).ParamName);
        float[] narrow = new float[9];
        Assert.Equal("points", Assert.Throws<ArgumentException>(() =>
            ThresholdProducts.CompressGreaterOrEqual(problem.W, new ReadOnlyMatrixView<float>(narrow, 3, 3), 0f, sets)).ParamName);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, float.NaN, sets)).ParamName);
        Assert.Equal("MaxThreads", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, 0f, sets, new BlasOptions { MaxThreads = 0 })).ParamName);
        Assert.Equal([7], sets.Indices(1).ToArray());
        Assert.Equal(1, sets.TotalCount);
    }

    [Fact]
    public void Bad_arguments_to_All_throw_before_writing()
    {
        var problem = new Problem(10, 3, 4, extraStride: 0, seed: 3);
        float[] products = new float[3 * 10];
        Array.Fill(products, 5f);
        Assert.Equal("points", Assert.Throws<ArgumentException>(() =>
            ThresholdProducts.All(problem.W, new ReadOnlyMatrixView<float>(new float[9], 3, 3), new MatrixView<float>(products, 3, 10))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            ThresholdProducts.All(problem.W, problem.X, new MatrixView<float>(products, 3, 9))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            ThresholdProducts.All(problem.W, problem.X, new MatrixView<float>(products, 2, 10))).ParamName);
        Assert.Equal("MaxThreads", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ThresholdProducts.All(problem.W, problem.X, new MatrixView<float>(products, 3, 10), new BlasOptions { MaxThreads = 0 })).ParamName);
        Assert.All(products, value => Assert.Equal(5f, value));

        // Destinations that share memory with an input (the exception names the destination and the input): W (10 × 4)
        // and X (3 × 4) inside one array, the products after them.
        float[] shared = new float[40 + 12 + 30];
        ReadOnlyMatrixView<float> W() => new(shared.AsSpan(0, 40), 10, 4);
        ReadOnlyMatrixView<float> X() => new(shared.AsSpan(40, 12), 3, 4);
        Assert.Contains("weights", Assert.Throws<ArgumentException>(() =>
            ThresholdProducts.All(W(), X(), new MatrixView<float>(shared.AsSpan(10, 30), 3, 10))).Message);
        Assert.Contains("points", Assert.Throws<ArgumentException>(() =>
            ThresholdProducts.All(W(), X(), new MatrixView<float>(shared.AsSpan(45, 30), 3, 10))).Message);
        Assert.All(shared, value => Assert.Equal(0f, value));
        ThresholdProducts.All(W(), X(), new MatrixView<float>(shared.AsSpan(52, 30), 3, 10));
    }

    [Fact]
    public void Bad_arguments_to_All_on_packed_points_throw_before_writing()
    {
        var problem = new Problem(10, 3, 4, extraStride: 0, seed: 3);
        var packed = new PackedPoints(problem.X);
        float[] products = new float[3 * 10];
        Array.Fill(products, 5f);
        Assert.Equal("points", Assert.Throws<ArgumentNullException>(() =>
            ThresholdProducts.All(problem.W, (PackedPoints)null!, new MatrixView<float>(products, 3, 10))).ParamName);
        Assert.Equal("points", Assert.Throws<ArgumentException>(() =>
            ThresholdProducts.All(problem.W, new PackedPoints(new ReadOnlyMatrixView<float>(new float[9], 3, 3)), new MatrixView<float>(products, 3, 10))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            ThresholdProducts.All(problem.W, packed, new MatrixView<float>(products, 3, 9))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            ThresholdProducts.All(problem.W, packed, new MatrixView<float>(products, 2, 10))).ParamName);
        Assert.Equal("MaxThreads", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ThresholdProducts.All(problem.W, packed, new MatrixView<float>(products, 3, 10), new BlasOptions { MaxThreads = 0 })).ParamName);
        Assert.All(products, value => Assert.Equal(5f, value));
        float[] shared = new float[40 + 30];
        Assert.Contains("weights", Assert.Throws<ArgumentException>(() =>
            ThresholdProducts.All(new ReadOnlyMatrixView<float>(shared.AsSpan(0, 40), 10, 4), packed, new MatrixView<float>(shared.AsSpan(10, 30), 3, 10))).Message);
        Assert.All(shared, value => Assert.Equal(0f, value));
    }

    /// <summary>W (m × d) and X (n × d), stored with spare columns holding NaN so that reading past a row shows.</summary>
    private sealed class Problem
    {
        private readonly float[] _w, _x;
        private readonly int _d, _strideW, _strideX;

        public Problem(int m, int n, int d, int extraStride, int seed)
        {
            (M, N, _d) = (m, n, d);
            var random = new System.Random(seed);
            _strideW = d + extraStride;
            _strideX = d + (extraStride + 1) % 3;
            _w = Fill(m, d, _strideW, random);
            _x = Fill(n, d, _strideX, random);
        }

        public static Problem From(MatrixCase c) => new(c.Columns, c.Rows, c.Depth, c.ExtraStride, c.Seed);

        public int M { get; }

        public int N { get; }

        public ReadOnlyMatrixView<float> W => new(_w, M, _d, _strideW);

        public ReadOnlyMatrixView<float> X => new(_x, N, _d, _strideX);

        /// <summary>Overwrites X with NaN, after it was packed: a packed copy must not see it.</summary>
        public void Scribble() => Array.Fill(_x, float.NaN);

        /// <summary>The n × m products, each the chain s = fma(w[k], x[k], s) from s = 0.</summary>
        public float[] Reference()
        {
            var products = new float[N * M];
            for (int i = 0; i < N; i++)
            {
                for (int r = 0; r < M; r++)
                {
                    float s = 0f;
                    for (int k = 0; k < _d; k++)
                    {
                        s = MathF.FusedMultiplyAdd(_w[r * _strideW + k], _x[i * _strideX + k], s);
                    }
                    products[i * M + r] = s;
                }
            }
            return products;
        }

        private static float[] Fill(int rows, int columns, int stride, System.Random random)
        {
            var data = new float[rows * stride];
            for (int e = 0; e < data.Length; e++)
            {
                data[e] = e % stride < columns ? (float)(random.NextDouble() * 2 - 1) : float.NaN;
            }
            return data;
        }
    }
}
