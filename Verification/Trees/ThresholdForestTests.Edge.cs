using Kernels.Activations;
using Kernels.Blas;
using Kernels.Trees;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Trees;

/// <summary>Sizes at the boundaries of both layouts, the memory they take, and the hot paths' allocation.</summary>
public sealed partial class ThresholdForestTests
{
    /// <summary>
    /// m = 1 (a lone leaf is the root), m around every power of the fan-outs (so levels are partly padding), m = 65 537
    /// (five wide levels, the top one nearly empty), and n = 1: build, queries at ties and at ±∞, updates that demote
    /// and replace each tree's maximum, a batch with repeats, and a rebuild all match the exact model.
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 3)]
    [InlineData(2, 1)]
    [InlineData(15, 2)]
    [InlineData(16, 1)]
    [InlineData(17, 3)]
    [InlineData(255, 1)]
    [InlineData(256, 2)]
    [InlineData(257, 1)]
    [InlineData(4097, 2)]
    [InlineData(65_537, 1)]
    public void Boundary_sizes_match_the_exact_model(int neurons, int points)
    {
        var model = new ForestModel(points, neurons, 5, ValueKind.SmallIntegers, neurons * 31 + points);
        ThresholdForest[] forests = Forests(model);
        void Check(string context)
        {
            foreach (ThresholdForest forest in forests)
            {
                ForestAssert.MatchesModel(forest, model, context);
                for (int i = 0; i < points; i++)
                {
                    for (int pick = 0; pick < 8; pick++)
                    {
                        ForestAssert.Query(forest, model, i, ForestAssert.PickThreshold(forests[0], i, pick * 7 + i), context);
                    }
                }
            }
        }
        Check("init");

        for (int i = 0; i < points; i++)
        {
            int top = model.ArgMax(i);
            var zero = new float[model.Dimension];
            model.Set(top, zero);
            Array.ForEach(forests, f => f.Update(top, zero));
            Check($"demoted the maximum of tree {i}");

            float[] big = model.Draw(1, i).Select(v => v * 64 + 64 * 8).ToArray();
            int j = (i * 7919 + neurons / 2) % neurons;
            model.Set(j, big);
            Array.ForEach(forests, f => f.Update(j, big));
            Check($"new maximum {j} for tree {i}");
        }

        int[] batch = [0, neurons - 1, neurons / 2, 0, neurons - 1];
        float[] rows = model.Draw(batch.Length, 99);
        for (int u = 0; u < batch.Length; u++)
        {
            model.Set(batch[u], rows.AsSpan(u * model.Dimension, model.Dimension));
        }
        Array.ForEach(forests, f => f.UpdateMany(batch, new ReadOnlyMatrixView<float>(rows, batch.Length, model.Dimension)));
        Check("batch with repeats at both ends");

        float[] all = model.Draw(neurons, 100);
        for (int j = 0; j < neurons; j++)
        {
            model.Set(j, all.AsSpan(j * model.Dimension, model.Dimension));
        }
        Array.ForEach(forests, f => f.UpdateAll(new ReadOnlyMatrixView<float>(all, neurons, model.Dimension)));
        Check("rebuild");
    }

    /// <summary>With d = 0 every inner product is an empty sum, 0: τ ≤ 0 selects every neuron and τ > 0 none.</summary>
    [Fact]
    public void Zero_dimension_gives_zero_inner_products()
    {
        var forest = new ThresholdForest(new ReadOnlyMatrixView<float>([], 40, 0), new ReadOnlyMatrixView<float>([], 3, 0));
        Assert.All(forest.Values(2).ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(40, forest.Count(1, 0f));
        Assert.Equal(0, forest.Count(1, float.Epsilon));
        forest.Update(5, []);
        Assert.Null(forest.FindViolation());
    }

    /// <summary>
    /// Tree memory: the wide layout takes Σ_ℓ ⌈⌈m/16^ℓ⌉/16⌉·16 floats per tree, about m·16/15; the binary layout
    /// 2·2^⌈log₂ m⌉.
    /// </summary>
    [Theory]
    [InlineData(4096, 4096 + 256 + 16, 2 * 4096)]
    [InlineData(4097, 4112 + 272 + 32 + 16, 2 * 8192)]
    [InlineData(1, 16, 16)]
    [InlineData(1 << 16, (1 << 16) + 4096 + 256 + 16, 2 << 16)]
    public void Tree_memory_follows_the_documented_formula(int neurons, int wideFloats, int binaryFloats)
    {
        const int points = 3;
        var weights = new ReadOnlyMatrixView<float>(new float[neurons], neurons, 1);
        var data = new ReadOnlyMatrixView<float>(new float[points], points, 1);
        Assert.Equal(4L * points * wideFloats, new ThresholdForest(weights, data).TreeBytes);
        Assert.Equal(4L * points * binaryFloats, new ThresholdForest(weights, data, ForestLayout.Binary).TreeBytes);
        // Σ_ℓ m/16^ℓ stops at the top node, so it can fall short of m·16/15 by the 16/15 of a full series.
        Assert.InRange(wideFloats, neurons * 16.0 / 15 - 16.0 / 15, neurons * 16.0 / 15 + 16 * 6);
    }

    /// <summary>Trees spread over several arrays (as when n·m exceeds one array) behave as one array.</summary>
    [Fact]
    public void Trees_spread_over_several_arrays_behave_as_one()
    {
        var model = new ForestModel(5, 300, 7, ValueKind.SmallIntegers, 8);
        ThresholdForest[] forests = Forests(model);
        Assert.Equal(1, forests[0].StorageArrays);
        Assert.Equal(3, forests[2].StorageArrays);
        ForestAssert.SameValues(forests[0], forests[2], "spread");
        for (int i = 0; i < model.Points; i++)
        {
            Assert.Equal(ForestAssert.QueryAll(forests[0], 1f)[i], ForestAssert.QueryAll(forests[2], 1f)[i]);
        }
    }

    /// <summary>Query (both destination paths, with and without values), QueryAll (once its rows have grown, on one
    /// thread or two), Count, Update, UpdateMany, Refresh and Rewrite (on one thread or two), Value and Values allocate nothing.</summary>
    [Fact]
    public void Hot_paths_do_not_allocate()
    {
        foreach (ForestLayout layout in Enum.GetValues<ForestLayout>())
        {
            var model = new ForestModel(4, 3000, 16, ValueKind.Uniform, 2);
            var forest = new ThresholdForest(new ReadOnlyMatrixView<float>(model.Weights, 3000, 16),
                new ReadOnlyMatrixView<float>(model.Data, 4, 16), layout);
            var threaded = new ThresholdForest(new ReadOnlyMatrixView<float>(model.Weights, 3000, 16),
                new ReadOnlyMatrixView<float>(model.Data, 4, 16), layout, new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 });
            int[] roomy = new int[3000];
            float[] roomyValues = new float[3000];
            int[] small = new int[forest.Count(1, 1.5f)];
            float[] smallValues = new float[small.Length];
            var sets = new ActiveSets(4);
            float[] row = model.Draw(1, 3);
            int[] batch = [5, 2999, 17, 5];
            int[] ascending = [2, 5, 17, 400, 401, 2999];
            float[] batchRows = model.Draw(batch.Length, 4);
            long allocated = Allocation.Measure(() =>
            {
                forest.UpdateMany(batch, new ReadOnlyMatrixView<float>(batchRows, batch.Length, 16));
                threaded.UpdateMany(batch, new ReadOnlyMatrixView<float>(batchRows, batch.Length, 16));
                forest.Refresh(ascending);
                threaded.Refresh(ascending);
                forest.Rewrite(ascending, new WriteBack());
                threaded.Rewrite(ascending, new WriteBack());
                forest.Query(1, 1.5f, roomy);
                forest.Query(1, 1.5f, small);
                forest.Query(1, 1.5f, roomy, roomyValues);
                forest.Query(1, 1.5f, small, smallValues);
                forest.QueryAll(0.5f, sets);
                threaded.QueryAll(0.5f, sets);
                forest.Count(2, 0f);
                forest.Update(17, row);
                forest.Value(3, 2999);
                _ = forest.Values(0).Length;
            });
            Assert.Equal(0, allocated);
        }
    }
}
