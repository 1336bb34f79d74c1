using Kernels.Blas;
using Kernels.Trees;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Trees;

/// <summary>
/// The model-based test of <see cref="ThresholdForest"/>: random scripts of Init, Update, UpdateMany, UpdateAll and
/// Query run on a naive n × m matrix of inner products and on three forests at once — the wide layout, the binary
/// reference, and the wide layout spread over several small arrays with every parallel path forced on.
/// </summary>
public sealed partial class ThresholdForestTests
{
    /// <summary>
    /// After every step, each forest keeps the max order (every internal node equals the max of its children) and
    /// caches the model's inner products (bit for bit on exact data, within rounding otherwise), and all three cache
    /// the same bits. Each query returns exactly the neurons whose value is ≥ τ, ties included, in ascending order —
    /// on exact data exactly the model's brute-force set — through Query, Count and QueryAll alike.
    /// </summary>
    [KernelProperty(MaxTest = 100)]
    public void Every_step_keeps_the_max_order_and_every_query_matches_the_model(ForestScript script)
    {
        var model = new ForestModel(script.Points, script.Neurons, script.Dimension, script.Kind, script.Seed);
        ThresholdForest[] forests = Forests(model);
        Check(forests, model, "init");
        for (int s = 0; s < script.Operations.Length; s++)
        {
            ForestOperation op = script.Operations[s];
            string context = $"step {s} {op}";
            switch (op.Step)
            {
                case ForestStep.Update:
                {
                    // Every third update hits the maximum of a tree, so that the repair must climb to the root.
                    int j = op.Seed % 3 == 0 ? model.ArgMax(op.Target % model.Points) : op.Target % model.Neurons;
                    float[] row = model.Draw(1, op.Seed);
                    model.Set(j, row);
                    foreach (ThresholdForest forest in forests)
                    {
                        forest.Update(j, row);
                    }
                    break;
                }
                case ForestStep.UpdateMany:
                {
                    var random = new System.Random(op.Seed);
                    int[] neurons = Enumerable.Range(0, op.Size).Select(_ => random.Next(model.Neurons)).ToArray();
                    float[] rows = model.Draw(op.Size, op.Seed);
                    for (int u = 0; u < neurons.Length; u++)
                    {
                        model.Set(neurons[u], rows.AsSpan(u * model.Dimension, model.Dimension));
                    }
                    foreach (ThresholdForest forest in forests)
                    {
                        forest.UpdateMany(neurons, new ReadOnlyMatrixView<float>(rows, op.Size, model.Dimension));
                    }
                    break;
                }
                case ForestStep.UpdateAll:
                {
                    float[] weights = model.Draw(model.Neurons, op.Seed);
                    for (int j = 0; j < model.Neurons; j++)
                    {
                        model.Set(j, weights.AsSpan(j * model.Dimension, model.Dimension));
                    }
                    foreach (ThresholdForest forest in forests)
                    {
                        forest.UpdateAll(new ReadOnlyMatrixView<float>(weights, model.Neurons, model.Dimension));
                    }
                    break;
                }
                case ForestStep.Query:
                {
                    int i = op.Target % model.Points;
                    float threshold = ForestAssert.PickThreshold(forests[0], i, op.Seed);
                    foreach (ThresholdForest forest in forests)
                    {
                        int[] answer = ForestAssert.Query(forest, model, i, threshold, context);
                        Assert.Equal(answer, ForestAssert.QueryAll(forest, threshold)[i]);
                    }
                    break;
                }
            }
            Check(forests, model, context);
        }
    }

    /// <summary>The wide layout, the binary reference, and the wide layout in arrays of two trees each with every
    /// per-tree loop and leaf product threaded regardless of size.</summary>
    internal static ThresholdForest[] Forests(ForestModel model)
    {
        var weights = new ReadOnlyMatrixView<float>(model.Weights, model.Neurons, model.Dimension);
        var data = new ReadOnlyMatrixView<float>(model.Data, model.Points, model.Dimension);
        var threaded = new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 };
        int twoTrees = 2 * new WideMaxTree(model.Neurons).TreeLength + TreeStorage.LineFloats - 1;
        return
        [
            new ThresholdForest(weights, data),
            new ThresholdForest(weights, data, ForestLayout.Binary, BlasOptions.SingleThreaded),
            new ThresholdForest(weights, data, ForestLayout.Wide, threaded, twoTrees),
        ];
    }

    private static void Check(ThresholdForest[] forests, ForestModel model, string context)
    {
        foreach (ThresholdForest forest in forests)
        {
            ForestAssert.MatchesModel(forest, model, context);
            ForestAssert.SameValues(forests[0], forest, context);
        }
    }
}
