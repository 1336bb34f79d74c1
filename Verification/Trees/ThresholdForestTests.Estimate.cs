using Kernels.Blas;
using Kernels.Trees;

namespace Kernels.Verification.Trees;

/// <summary><see cref="ThresholdForest.EstimateBytes"/> against the bytes a real forest allocates, and its bad input.</summary>
public sealed partial class ThresholdForestTests
{
    /// <summary>
    /// The estimate covers what a forest really allocates: constructing it (owning a copy of W, or borrowing the
    /// caller's), one <see cref="ThresholdForest.UpdateMany"/> and one <see cref="ThresholdForest.Refresh"/> of every neuron
    /// (the largest batch, so the update scratch reaches its size), one <see cref="ThresholdForest.Update"/> and a query, measured on the calling thread (one
    /// thread, so every part runs here) after a warm-up forest has taken the one-time costs. And it is not far above:
    /// at most twice that plus 4 KiB. (The binary layout's update scratch, estimated as a plan pair per neuron and
    /// internal level, is where the estimate is loosest: 1.9 times the allocation at m = 5000, n = 4.)
    /// </summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(17, 3, 0)]
    [InlineData(5000, 4, 8)]
    [InlineData(70000, 20, 33)]
    public void EstimateBytes_covers_what_a_forest_allocates(int neurons, int points, int dimension)
    {
        var options = BlasOptions.SingleThreaded;
        foreach (ForestLayout layout in Enum.GetValues<ForestLayout>())
        {
            var weights = new float[neurons * dimension];
            var data = new float[points * dimension];
            var random = new Random(neurons + points);
            for (int k = 0; k < weights.Length; k++)
            {
                weights[k] = (float)random.NextDouble() - 0.5f;
            }
            for (int k = 0; k < data.Length; k++)
            {
                data[k] = (float)random.NextDouble() - 0.5f;
            }
            int[] all = Enumerable.Range(0, neurons).ToArray();
            float[] rows = weights.Select(w => -w).ToArray();
            int[] destination = new int[neurons];
            foreach (bool borrows in new[] { false, true })
            {
                long Run()
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    var x = new ReadOnlyMatrixView<float>(data, points, dimension);
                    var forest = borrows
                        ? ThresholdForest.Borrow(weights.AsMemory(), neurons, x, layout, options)
                        : new ThresholdForest(new ReadOnlyMatrixView<float>(weights, neurons, dimension), x, layout, options);
                    forest.UpdateMany(all, new ReadOnlyMatrixView<float>(rows, neurons, dimension));
                    forest.Refresh(all);
                    forest.Update(0, rows.AsSpan(0, dimension));
                    forest.Query(0, 0f, destination);
                    return GC.GetAllocatedBytesForCurrentThread() - before;
                }
                Run();
                long allocated = Run();
                long estimate = ThresholdForest.EstimateBytes(neurons, points, dimension, layout, borrows, options);
                // Covers every allocation but the objects' and arrays' headers (about 1 KiB for the dozens of arrays of a
                // forest, all of what a one-neuron forest allocates); and not far above what is allocated.
                Assert.InRange(allocated, 0, estimate + 1024);
                Assert.InRange(estimate, 0, 2 * allocated + 4096);
            }
        }
    }

    [Fact]
    public void EstimateBytes_rejects_bad_sizes_layouts_and_options()
    {
        Assert.Equal("neurons", Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdForest.EstimateBytes(0, 1, 1)).ParamName);
        Assert.Equal("dataPoints", Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdForest.EstimateBytes(1, 0, 1)).ParamName);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdForest.EstimateBytes(1, 1, -1)).ParamName);
        Assert.Equal("layout", Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdForest.EstimateBytes(1, 1, 1, (ForestLayout)9)).ParamName);
        Assert.Equal("MaxThreads", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ThresholdForest.EstimateBytes(1, 1, 1, options: new BlasOptions { MaxThreads = 0 })).ParamName);
        // The largest m an array index allows: an estimate in bytes, not an overflow or a refusal to estimate.
        Assert.True(ThresholdForest.EstimateBytes(int.MaxValue, 64, 512, borrowsWeights: true) > 64L * int.MaxValue * sizeof(float));
    }
}
