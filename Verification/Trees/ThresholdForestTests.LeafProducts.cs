using Kernels.Activations;
using Kernels.Trees;

namespace Kernels.Verification.Trees;

/// <summary>
/// The forest's leaves are <see cref="ThresholdProducts.All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, Kernels.Blas.BlasOptions?)"/>'s bits, whichever operation wrote them: on rounded
/// (uniform) data, where another summation order would differ in the last bits, every leaf after construction,
/// <c>Update</c>, <c>UpdateMany</c> and <c>UpdateAll</c> equals the dense kernel's product of the forest's current
/// W and X, and <c>QueryAll</c> reports what <see cref="ThresholdProducts.CompressGreaterOrEqual"/> reports — so a
/// dense and a sublinear trainer see the same active sets.
/// </summary>
public sealed partial class ThresholdForestTests
{
    [Fact]
    public void Leaves_are_the_dense_kernels_products_bit_for_bit_after_every_kind_of_update()
    {
        var model = new ForestModel(19, 301, 37, ValueKind.Uniform, 23);
        var data = new ReadOnlyMatrixView<float>(model.Data, model.Points, model.Dimension);
        var forest = new ThresholdForest(new ReadOnlyMatrixView<float>(model.Weights, model.Neurons, model.Dimension), data);
        AssertLeavesAreDenseProducts(forest, "construction");
        forest.Update(100, model.Draw(1, 5));
        AssertLeavesAreDenseProducts(forest, "Update");
        int[] changed = [0, 13, 100, 250, 13, 300];
        forest.UpdateMany(changed, new ReadOnlyMatrixView<float>(model.Draw(changed.Length, 6), changed.Length, model.Dimension));
        AssertLeavesAreDenseProducts(forest, "UpdateMany");
        forest.UpdateAll(new ReadOnlyMatrixView<float>(model.Draw(model.Neurons, 7), model.Neurons, model.Dimension));
        AssertLeavesAreDenseProducts(forest, "UpdateAll");
    }

    private static void AssertLeavesAreDenseProducts(ThresholdForest forest, string after)
    {
        var products = new float[forest.DataPoints * forest.Neurons];
        ThresholdProducts.All(forest.Weights, forest.Data, new MatrixView<float>(products, forest.DataPoints, forest.Neurons));
        for (int i = 0; i < forest.DataPoints; i++)
        {
            Assert.True(forest.Values(i).SequenceEqual(products.AsSpan(i * forest.Neurons, forest.Neurons)), $"after {after}: leaves of tree {i} differ");
        }
        var fromForest = new ActiveSets(forest.DataPoints);
        var dense = new ActiveSets(forest.DataPoints);
        float threshold = products[products.Length / 3];
        forest.QueryAll(threshold, fromForest);
        ThresholdProducts.CompressGreaterOrEqual(forest.Weights, forest.Data, threshold, dense);
        for (int i = 0; i < forest.DataPoints; i++)
        {
            Assert.Equal(fromForest.Indices(i).ToArray(), dense.Indices(i).ToArray());
            Assert.True(fromForest.Values(i).SequenceEqual(dense.Values(i)), $"after {after}: active values of point {i} differ");
        }
    }
}
