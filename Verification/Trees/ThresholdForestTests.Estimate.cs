using System.Numerics;
using Kernels.Blas;
using Kernels.Trees;

namespace Kernels.Verification.Trees;

/// <summary><see cref="ThresholdForest.EstimateBytes"/> against a model of what a forest holds, and against a real forest.</summary>
public sealed partial class ThresholdForestTests
{
    /// <summary>
    /// The estimate is the sum, in floats, of: the trees (levels of the wide layout rounded up to 16 floats each, or
    /// 2·2^⌈log₂ m⌉ for the binary one) with a line of alignment per tree; X and its packed groups of 16 points; the
    /// update scratch of one batch (4 ints per neuron, n leaves per neuron, a plan pair per neuron and internal level,
    /// a magnitude per thread, Update's n-float column); and W unless borrowed. It also covers what a real forest holds.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(17, 3, 0)]
    [InlineData(5000, 4, 8)]
    [InlineData(70000, 20, 33)]
    public void EstimateBytes_counts_trees_data_scratch_and_weights(int neurons, int points, int dimension)
    {
        var options = new BlasOptions { MaxThreads = 3 };
        foreach (ForestLayout layout in Enum.GetValues<ForestLayout>())
        {
            long treeLength = 0;
            int internalLevels = 0;
            if (layout == ForestLayout.Wide)
            {
                for (long level = neurons; ; level = (level + 15) / 16 * 16 / 16)
                {
                    treeLength += (level + 15) / 16 * 16;
                    if (level <= 16)
                    {
                        break;
                    }
                    internalLevels++;
                }
            }
            else
            {
                long firstLeaf = (long)BitOperations.RoundUpToPowerOf2((uint)neurons);
                treeLength = (2 * firstLeaf + 15) / 16 * 16;
                internalLevels = BitOperations.Log2((ulong)firstLeaf);
            }
            long batch = Math.Min(neurons, Math.Max(64, (4 << 20) / (4 * Math.Max(Math.Max(dimension, points), 1))));
            long floats = points * (treeLength + 16) + (long)points * dimension + (points + 15) / 16 * 16L * dimension
                + batch * (4 + points + 2 * internalLevels) + options.MaxThreads + points;
            long borrowed = ThresholdForest.EstimateBytes(neurons, points, dimension, layout, borrowsWeights: true, options);
            Assert.Equal(floats * sizeof(float), borrowed);
            Assert.Equal(borrowed + (long)neurons * dimension * sizeof(float),
                ThresholdForest.EstimateBytes(neurons, points, dimension, layout, borrowsWeights: false, options));

            var forest = new ThresholdForest(new ReadOnlyMatrixView<float>(new float[neurons * dimension], neurons, dimension),
                new ReadOnlyMatrixView<float>(new float[points * dimension], points, dimension), layout, options);
            Assert.InRange(forest.TreeBytes, points * treeLength * sizeof(float), borrowed - 2L * points * dimension * sizeof(float));
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
