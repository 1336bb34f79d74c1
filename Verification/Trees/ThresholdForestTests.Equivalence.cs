using Kernels.Activations;
using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Trees;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Trees;

/// <summary>
/// Two ways to the same forest must agree: a batch against the same updates one at a time, the wide layout against
/// the binary reference, one thread against several, and the forest's active sets against the dense producer's.
/// </summary>
public sealed partial class ThresholdForestTests
{
    /// <summary>
    /// Every update step of a script, applied as one <c>UpdateMany</c> batch to one forest and as single <c>Update</c>
    /// calls, in the same order, to another: both keep the max order and match the model, and — since every leaf, whichever
    /// update wrote it, is the same fused chain (<see cref="ThresholdProducts"/>) — they cache the same bits and answer
    /// every query identically, on real-valued data as on exact data.
    /// </summary>
    [KernelProperty(MaxTest = 60)]
    public void UpdateMany_equals_the_same_updates_applied_one_by_one(ForestScript script)
    {
        var model = new ForestModel(script.Points, script.Neurons, script.Dimension, script.Kind, script.Seed);
        foreach (ForestLayout layout in Enum.GetValues<ForestLayout>())
        {
            var weights = new ReadOnlyMatrixView<float>(model.Weights, model.Neurons, model.Dimension);
            var data = new ReadOnlyMatrixView<float>(model.Data, model.Points, model.Dimension);
            var batched = new ThresholdForest(weights, data, layout);
            var single = new ThresholdForest(weights, data, layout);
            foreach (ForestOperation op in script.Operations.Where(o => o.Step != ForestStep.Query))
            {
                var random = new System.Random(op.Seed);
                int size = op.Step == ForestStep.Update ? 1 : op.Size;
                int[] neurons = Enumerable.Range(0, size).Select(_ => random.Next(model.Neurons)).ToArray();
                float[] rows = model.Draw(size, op.Seed);
                batched.UpdateMany(neurons, new ReadOnlyMatrixView<float>(rows, size, model.Dimension));
                for (int u = 0; u < size; u++)
                {
                    ReadOnlySpan<float> row = rows.AsSpan(u * model.Dimension, model.Dimension);
                    single.Update(neurons[u], row);
                    model.Set(neurons[u], row);
                }

                string context = $"{layout} after {op}";
                ForestAssert.MatchesModel(batched, model, context);
                ForestAssert.MatchesModel(single, model, context);
                ForestAssert.SameValues(batched, single, context);
                for (int i = 0; i < model.Points; i++)
                {
                    float threshold = ForestAssert.PickThreshold(batched, i, op.Seed + i);
                    int[] fromBatch = ForestAssert.Query(batched, model, i, threshold, context);
                    int[] fromSingles = ForestAssert.Query(single, model, i, threshold, context);
                    Assert.Equal(fromBatch, fromSingles);
                }
            }
        }
    }

    /// <summary>
    /// On Gaussian weights and unit data points (the trainer's setting), the wide layout and the binary reference cache
    /// the same bits and give the same answers at thresholds from 3 (a handful of neurons) to −1 (most of them),
    /// before and after a batch and single updates.
    /// </summary>
    [Fact]
    public void Wide_and_binary_layouts_give_identical_answers_on_gaussian_data()
    {
        const int points = 5, neurons = 6000, dimension = 32;
        float[] weights = Gaussian(neurons, dimension, seed: 1);
        float[] data = UnitRows(points, dimension, seed: 2);
        var w = new ReadOnlyMatrixView<float>(weights, neurons, dimension);
        var x = new ReadOnlyMatrixView<float>(data, points, dimension);
        var wide = new ThresholdForest(w, x);
        var binary = new ThresholdForest(w, x, ForestLayout.Binary);
        AssertSameAnswers(wide, binary, "init");

        int[] changed = Enumerable.Range(0, 700).Select(u => u * 7919 % neurons).ToArray();
        float[] rows = Gaussian(changed.Length, dimension, seed: 3);
        wide.UpdateMany(changed, new ReadOnlyMatrixView<float>(rows, changed.Length, dimension));
        binary.UpdateMany(changed, new ReadOnlyMatrixView<float>(rows, changed.Length, dimension));
        AssertSameAnswers(wide, binary, "after UpdateMany");

        for (int j = 0; j < neurons; j += 97)
        {
            wide.Update(j, rows.AsSpan(j % changed.Length * dimension, dimension));
            binary.Update(j, rows.AsSpan(j % changed.Length * dimension, dimension));
        }
        AssertSameAnswers(wide, binary, "after Update");
    }

    /// <summary>
    /// QueryAll and UpdateMany run the trees in parallel, and construction computes its leaves threaded; with every threshold
    /// forced to zero, the forest on two threads must equal the forest on one, bit for bit.
    /// </summary>
    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        const int points = 7, neurons = 20_000, dimension = 24;
        float[] weights = Gaussian(neurons, dimension, seed: 4);
        float[] data = UnitRows(points, dimension, seed: 5);
        var w = new ReadOnlyMatrixView<float>(weights, neurons, dimension);
        var x = new ReadOnlyMatrixView<float>(data, points, dimension);
        var one = new ThresholdForest(w, x, ForestLayout.Wide, BlasOptions.SingleThreaded);
        var two = new ThresholdForest(w, x, ForestLayout.Wide, new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 });

        int[] changed = Enumerable.Range(0, 3000).Select(u => u * 13 % neurons).ToArray();
        float[] rows = Gaussian(changed.Length, dimension, seed: 6);
        one.UpdateMany(changed, new ReadOnlyMatrixView<float>(rows, changed.Length, dimension));
        two.UpdateMany(changed, new ReadOnlyMatrixView<float>(rows, changed.Length, dimension));

        ForestAssert.SameValues(one, two, "one vs two threads");
        Assert.Null(two.FindViolation());
        foreach (float threshold in new[] { 2.5f, 1f, 0f })
        {
            int[][] a = ForestAssert.QueryAll(one, threshold), b = ForestAssert.QueryAll(two, threshold);
            for (int i = 0; i < points; i++)
            {
                Assert.Equal(a[i], b[i]);
            }
        }
    }

    private static void AssertSameAnswers(ThresholdForest wide, ThresholdForest binary, string context)
    {
        ForestAssert.SameValues(wide, binary, context);
        Assert.Null(wide.FindViolation());
        Assert.Null(binary.FindViolation());
        foreach (float threshold in new[] { 3f, 2.5f, 1.5f, 0f, -1f })
        {
            for (int i = 0; i < wide.DataPoints; i++)
            {
                int[] a = ForestAssert.Query(wide, null, i, threshold, context);
                int[] b = ForestAssert.Query(binary, null, i, threshold, context);
                Assert.Equal(a, b);
            }
        }
    }

    /// <summary>Standard normal entries, as the seed initializes w_r ~ N(0, I_d).</summary>
    internal static float[] Gaussian(int rows, int cols, ulong seed)
    {
        var values = new float[rows * cols];
        new CounterRandom(seed, 0).FillNormal<float>(values, 0f, 1f);
        return values;
    }

    /// <summary>Rows of unit Euclidean norm: normalized Gaussian rows, as the seed's data points.</summary>
    internal static float[] UnitRows(int rows, int cols, ulong seed)
    {
        float[] values = Gaussian(rows, cols, seed);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = values.AsSpan(r * cols, cols);
            Level1.Scale(1f / Level1.Nrm2<float>(row), row);
        }
        return values;
    }
    /// <summary>
    /// The two producers of active sets a Gauss-Newton trainer chooses between, <see cref="ThresholdForest.QueryAll"/>
    /// and <see cref="ThresholdProducts"/>, give the same sets and value bits, here on exact data so that thresholds can sit
    /// exactly at ties, after updates as well (<c>ThresholdForestTests.LeafProducts</c> checks the bits on real-valued data).
    /// </summary>
    [Fact]
    public void QueryAll_equals_the_dense_producer_on_exact_data()
    {
        var model = new ForestModel(6, 500, 19, ValueKind.SmallIntegers, 11);
        var data = new ReadOnlyMatrixView<float>(model.Data, model.Points, model.Dimension);
        var forest = new ThresholdForest(new ReadOnlyMatrixView<float>(model.Weights, model.Neurons, model.Dimension), data);
        int[] changed = [3, 77, 78, 200, 499];
        forest.UpdateMany(changed, new ReadOnlyMatrixView<float>(model.Draw(changed.Length, 12), changed.Length, model.Dimension));
        var fromForest = new ActiveSets(model.Points);
        var dense = new ActiveSets(model.Points);
        foreach (float threshold in new[] { 0f, forest.Value(0, 77), forest.Value(5, 3), 1e9f })
        {
            forest.QueryAll(threshold, fromForest);
            ThresholdProducts.CompressGreaterOrEqual(forest.Weights, data, threshold, dense);
            for (int i = 0; i < model.Points; i++)
            {
                Assert.Equal(fromForest.Indices(i).ToArray(), dense.Indices(i).ToArray());
                Assert.True(fromForest.Values(i).SequenceEqual(dense.Values(i)), $"τ={threshold}, point {i}: values differ");
            }
            Assert.True(threshold > 1e8f || fromForest.TotalCount > 0, $"τ={threshold} selects nothing: the test would be empty");
        }
    }
}
