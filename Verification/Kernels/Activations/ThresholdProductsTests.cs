using Kernels.Activations;
using Kernels.Blas;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Activations;

/// <summary>
/// <see cref="ThresholdProducts"/> against Gemm followed by <see cref="Threshold.CompressGreaterOrEqual{T}"/> on each row
/// of the n × m product: on small-integer data every sum is exact, so index sets and values must be identical bit for
/// bit (thresholds taken from the products make ties, which count); on uniform data the sets agree wherever a product
/// lies clearly away from τ and the values within the dot-product rounding bound.
/// </summary>
public sealed class ThresholdProductsTests
{
    private static readonly int[] Neurons = [0, 1, 3, 4, 5, 9, 67];
    private static readonly int[] Points = [1, 2, 3, 4, 5, 7, 64, 65, 70];
    private static readonly int[] Dimensions = [0, 1, 3, 4, 5, 8, 15, 16, 17, 31, 33, 100];

    [Fact]
    public void Exact_data_gives_the_sets_and_values_of_Gemm_and_a_scan_for_every_shape()
    {
        var sets = new ActiveSets(0);
        foreach (int m in Neurons)
        {
            foreach (int n in Points)
            {
                foreach (int d in Dimensions)
                {
                    if (sets.Rows != n)
                    {
                        sets = new ActiveSets(n);
                    }
                    var problem = new Problem(m, n, d, extraStride: (m + n + d) % 3, ValueKind.SmallIntegers, seed: m * 1000 + n * 10 + d);
                    foreach (float threshold in problem.Thresholds())
                    {
                        ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, threshold, sets, BlasOptions.SingleThreaded);
                        problem.AssertExact(sets, threshold, $"m={m} n={n} d={d} τ={threshold}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Rounded_data_agrees_with_Gemm_away_from_the_threshold()
    {
        foreach ((int m, int n, int d) in new[] { (300, 16, 128), (257, 5, 33), (100, 64, 7), (64, 3, 200) })
        {
            var problem = new Problem(m, n, d, extraStride: 2, ValueKind.Uniform, seed: m + n + d);
            var sets = new ActiveSets(n);
            foreach (float threshold in new[] { -0.5f, 0f, 0.8f })
            {
                ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, threshold, sets);
                problem.AssertClose(sets, threshold, $"m={m} n={n} d={d} τ={threshold}");
            }
        }
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var problem = new Problem(1003, 9, 37, extraStride: 1, ValueKind.Uniform, seed: 5);
        var one = new ActiveSets(9);
        ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, 0.1f, one, BlasOptions.SingleThreaded);
        foreach (int threads in new[] { 2, 3, 7 })
        {
            var many = new ActiveSets(9);
            // Stale contents must be replaced, too.
            many.Set(0, [1, 2, 3], [9f, 9f, 9f]);
            ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, 0.1f, many, new BlasOptions { MaxThreads = threads, ParallelThreshold = 0 });
            for (int i = 0; i < 9; i++)
            {
                Assert.Equal(one.Indices(i).ToArray(), many.Indices(i).ToArray());
                Assert.True(one.Values(i).SequenceEqual(many.Values(i)), $"{threads} threads, row {i}: values differ");
            }
        }
    }

    [Fact]
    public void Infinite_thresholds_select_all_or_nothing()
    {
        var problem = new Problem(37, 3, 5, extraStride: 0, ValueKind.Uniform, seed: 1);
        var sets = new ActiveSets(3);
        ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, float.NegativeInfinity, sets);
        Assert.Equal(3 * 37, sets.TotalCount);
        Assert.Equal(Enumerable.Range(0, 37), sets.Indices(2).ToArray());
        ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, float.PositiveInfinity, sets);
        Assert.Equal(0, sets.TotalCount);
    }

    [Fact]
    public void Calls_allocate_nothing_after_warm_up()
    {
        var problem = new Problem(2000, 16, 40, extraStride: 0, ValueKind.Uniform, seed: 2);
        var sets = new ActiveSets(16);
        var threaded = new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 };
        long allocated = Allocation.Measure(() =>
        {
            ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, 0.2f, sets, BlasOptions.SingleThreaded);
            ThresholdProducts.CompressGreaterOrEqual(problem.W, problem.X, 0.2f, sets, threaded);
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Bad_arguments_throw_before_writing()
    {
        var problem = new Problem(10, 3, 4, extraStride: 0, ValueKind.Uniform, seed: 3);
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

    /// <summary>W (m × d) and X (n × d), stored with spare columns holding NaN so that reading past a row shows.</summary>
    private sealed class Problem
    {
        private readonly float[] _w, _x;
        private readonly int _m, _n, _d, _strideW, _strideX;

        public Problem(int m, int n, int d, int extraStride, ValueKind kind, int seed)
        {
            (_m, _n, _d) = (m, n, d);
            var random = new System.Random(seed);
            _strideW = d + extraStride;
            _strideX = d + (extraStride + 1) % 3;
            _w = Fill(m, d, _strideW, kind, random);
            _x = Fill(n, d, _strideX, kind, random);
        }

        public ReadOnlyMatrixView<float> W => new(_w, _m, _d, _strideW);

        public ReadOnlyMatrixView<float> X => new(_x, _n, _d, _strideX);

        /// <summary>Thresholds that select nothing, everything and a few products exactly (ties).</summary>
        public IEnumerable<float> Thresholds()
        {
            float[] products = Products();
            yield return float.MaxValue;
            yield return -float.MaxValue;
            for (int t = 0; t < Math.Min(3, products.Length); t++)
            {
                yield return products[(t * 7919) % products.Length];
            }
        }

        public void AssertExact(ActiveSets sets, float threshold, string context)
        {
            float[] products = Products();
            int[] found = new int[_m];
            for (int i = 0; i < _n; i++)
            {
                ReadOnlySpan<float> row = products.AsSpan(i * _m, _m);
                int count = Threshold.CompressGreaterOrEqual(row, threshold, found);
                Assert.True(found[..count].SequenceEqual(sets.Indices(i).ToArray()), $"{context}: indices of point {i}");
                for (int t = 0; t < count; t++)
                {
                    Tolerance.AssertIdentical(row[found[t]], sets.Values(i)[t], $"{context}: value ({i}, {found[t]})");
                }
            }
        }

        public void AssertClose(ActiveSets sets, float threshold, string context)
        {
            for (int i = 0; i < _n; i++)
            {
                var reported = new Dictionary<int, float>();
                for (int t = 0; t < sets.Count(i); t++)
                {
                    reported.Add(sets.Indices(i)[t], sets.Values(i)[t]);
                }
                for (int r = 0; r < _m; r++)
                {
                    double exact = 0, magnitude = 0;
                    for (int k = 0; k < _d; k++)
                    {
                        double p = (double)_w[r * _strideW + k] * _x[i * _strideX + k];
                        exact += p;
                        magnitude += Math.Abs(p);
                    }
                    double bound = (_d + 2) * Tolerance.Epsilon<float>() * magnitude + 1e-30;
                    if (reported.TryGetValue(r, out float value))
                    {
                        Tolerance.AssertClose(value, exact, magnitude, _d + 2, $"{context}: value ({i}, {r})");
                        Assert.True(exact >= threshold - bound, $"{context}: ({i}, {r}) = {exact} reported below τ");
                    }
                    else
                    {
                        Assert.True(exact < threshold + bound, $"{context}: ({i}, {r}) = {exact} ≥ τ not reported");
                    }
                }
            }
        }

        /// <summary>The n × m product X·Wᵀ by Gemm.</summary>
        private float[] Products()
        {
            var products = new float[_n * _m];
            Level3.Gemm(Transpose.None, Transpose.Transposed, 1f, X, W, 0f, new MatrixView<float>(products, _n, _m), BlasOptions.SingleThreaded);
            return products;
        }

        private static float[] Fill(int rows, int columns, int stride, ValueKind kind, System.Random random)
        {
            var data = new float[rows * stride];
            for (int e = 0; e < data.Length; e++)
            {
                data[e] = e % stride < columns ? SampleData.Draw<float>(random, kind) : float.NaN;
            }
            return data;
        }
    }
}
