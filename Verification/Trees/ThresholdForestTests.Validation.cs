using Kernels.Activations;
using Kernels.Blas;
using Kernels.Trees;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Trees;

/// <summary>Bad input throws, names the argument, and leaves the forest as it was.</summary>
public sealed partial class ThresholdForestTests
{
    private const int Points = 3, Neurons = 40, Dimension = 4;

    private static ForestModel Model() => new(Points, Neurons, Dimension, ValueKind.SmallIntegers, 5);

    private static ThresholdForest Forest(ForestModel model, ForestLayout layout = ForestLayout.Wide) =>
        new(new ReadOnlyMatrixView<float>(model.Weights, Neurons, Dimension), new ReadOnlyMatrixView<float>(model.Data, Points, Dimension), layout);

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_weights_or_data_are_rejected(float bad)
    {
        ForestModel model = Model();
        float[] weights = [.. model.Weights];
        weights[Dimension * 7 + 2] = bad;
        var ex = Assert.Throws<ArgumentException>(() => new ThresholdForest(
            new ReadOnlyMatrixView<float>(weights, Neurons, Dimension), new ReadOnlyMatrixView<float>(model.Data, Points, Dimension)));
        Assert.Equal("weights", ex.ParamName);
        Assert.Contains("row 7", ex.Message);

        float[] data = [.. model.Data];
        data[^1] = bad;
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => new ThresholdForest(
            new ReadOnlyMatrixView<float>(model.Weights, Neurons, Dimension), new ReadOnlyMatrixView<float>(data, Points, Dimension))).ParamName);

        foreach (ForestLayout layout in Enum.GetValues<ForestLayout>())
        {
            ThresholdForest forest = Forest(model, layout);
            float[] row = [1, 2, bad, 4];
            Assert.Equal("row", Assert.Throws<ArgumentException>(() => forest.Update(3, row)).ParamName);
            float[] rows = [.. model.Draw(2, 1)];
            rows[5] = bad;
            Assert.Equal("rows", Assert.Throws<ArgumentException>(() =>
                forest.UpdateMany([1, 2], new ReadOnlyMatrixView<float>(rows, 2, Dimension))).ParamName);
            Assert.Equal("weights", Assert.Throws<ArgumentException>(() =>
                forest.UpdateAll(new ReadOnlyMatrixView<float>(weights, Neurons, Dimension))).ParamName);
            ForestAssert.MatchesModel(forest, model, $"{layout} after rejected updates");
        }
    }

    /// <summary>
    /// A bad row anywhere in an UpdateMany changes nothing: in a later batch of several (all rows are checked before the
    /// first batch writes), or in the last part of one batch whose leaves are computed on two threads (each part checks
    /// its rows before anything is written).
    /// </summary>
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(1e38f)]
    public void A_bad_row_late_in_UpdateMany_changes_nothing(float bad)
    {
        const int points = 4, neurons = 3000, dimension = 8;
        float[] weights = Gaussian(neurons, dimension, seed: 41);
        var w = new ReadOnlyMatrixView<float>(weights, neurons, dimension);
        var x = new ReadOnlyMatrixView<float>(UnitRows(points, dimension, seed: 42), points, dimension);
        var threaded = new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 };
        var reference = new ThresholdForest(w, x);
        foreach (var forest in new[] { new ThresholdForest(w, x, ForestLayout.Wide, threaded, Array.MaxLength, 5), new ThresholdForest(w, x, ForestLayout.Wide, threaded) })
        {
            int[] updated = Enumerable.Range(0, 400).Select(u => u * 7).ToArray();
            float[] rows = Gaussian(updated.Length, dimension, seed: 43);
            rows[^3] = bad;
            Assert.Equal("rows", Assert.Throws<ArgumentException>(() =>
                forest.UpdateMany(updated, new ReadOnlyMatrixView<float>(rows, updated.Length, dimension))).ParamName);
            ForestAssert.SameValues(reference, forest, $"after a rejected row {bad}");
            Assert.Equal(weights, forest.Weights.Data.ToArray());
        }
    }

    /// <summary>Finite inputs whose inner products could overflow float (d·max|w|·max|x| &gt; float.MaxValue/2) are rejected too.</summary>
    [Fact]
    public void Inputs_that_could_overflow_are_rejected()
    {
        ForestModel model = Model();
        float[] huge = Enumerable.Repeat(1e19f, Neurons * Dimension).ToArray();
        float[] large = Enumerable.Repeat(1e19f, Points * Dimension).ToArray();
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => new ThresholdForest(
            new ReadOnlyMatrixView<float>(huge, Neurons, Dimension), new ReadOnlyMatrixView<float>(large, Points, Dimension))).ParamName);

        ThresholdForest forest = Forest(model);
        float[] row = [3e37f, 0, 0, 0];
        Assert.Equal("row", Assert.Throws<ArgumentException>(() => forest.Update(0, row)).ParamName);
        ForestAssert.MatchesModel(forest, model, "after a rejected update");

        // Just inside the bound is accepted and stays finite.
        float limit = (float)(ForestGuard.InnerProductLimit / Dimension / 8);
        forest.Update(0, [limit, limit, limit, limit]);
        Assert.Null(forest.FindViolation());
    }

    [Fact]
    public void Shapes_must_agree()
    {
        ForestModel model = Model();
        ReadOnlyMatrixView<float> Weights() => new(model.Weights, Neurons, Dimension);
        ReadOnlyMatrixView<float> Data() => new(model.Data, Points, Dimension);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => new ThresholdForest(Weights(), new ReadOnlyMatrixView<float>(model.Data, Points, Dimension - 1))).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => new ThresholdForest(new ReadOnlyMatrixView<float>([], 0, Dimension), Data())).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => new ThresholdForest(Weights(), new ReadOnlyMatrixView<float>([], 0, Dimension))).ParamName);
        Assert.Equal("layout", Assert.Throws<ArgumentOutOfRangeException>(() => new ThresholdForest(Weights(), Data(), (ForestLayout)7)).ParamName);

        ThresholdForest forest = Forest(model);
        Assert.Equal("row", Assert.Throws<ArgumentException>(() => forest.Update(0, new float[Dimension + 1])).ParamName);
        float[] rows = model.Draw(3, 2);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => forest.UpdateMany([1, 2], new ReadOnlyMatrixView<float>(rows, 3, Dimension))).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => forest.UpdateMany([1, 2, 3], new ReadOnlyMatrixView<float>(rows, 2, Dimension))).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => forest.UpdateAll(new ReadOnlyMatrixView<float>(rows, 3, Dimension))).ParamName);
        ForestAssert.MatchesModel(forest, model, "after rejected shapes");
    }

    [Fact]
    public void Indices_must_be_in_range()
    {
        ForestModel model = Model();
        ThresholdForest forest = Forest(model);
        float[] row = model.Draw(1, 3);
        Assert.Equal("j", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Update(-1, row)).ParamName);
        Assert.Equal("j", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Update(Neurons, row)).ParamName);
        float[] rows = model.Draw(2, 4);
        Assert.Equal("neurons", Assert.Throws<ArgumentOutOfRangeException>(() =>
            forest.UpdateMany([0, Neurons], new ReadOnlyMatrixView<float>(rows, 2, Dimension))).ParamName);
        Assert.Equal("neurons", Assert.Throws<ArgumentOutOfRangeException>(() =>
            forest.UpdateMany([-1, 0], new ReadOnlyMatrixView<float>(rows, 2, Dimension))).ParamName);
        int[] destination = new int[Neurons];
        Assert.Equal("i", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Query(Points, 0f, destination)).ParamName);
        Assert.Equal("i", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Query(-1, 0f, destination)).ParamName);
        Assert.Equal("i", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Count(Points, 0f)).ParamName);
        Assert.Equal("i", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Value(Points, 0)).ParamName);
        Assert.Equal("j", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Value(0, Neurons)).ParamName);
        Assert.Equal("i", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Values(Points).Length).ParamName);
        ForestAssert.MatchesModel(forest, model, "after rejected indices");
    }

    [Fact]
    public void Thresholds_may_be_infinite_but_not_NaN()
    {
        ThresholdForest forest = Forest(Model(), ForestLayout.Binary);
        int[] destination = Enumerable.Repeat(-7, Neurons).ToArray();
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Query(0, float.NaN, destination)).ParamName);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Count(0, float.NaN)).ParamName);
        var sets = new ActiveSets(Points);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => forest.QueryAll(float.NaN, sets)).ParamName);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Query(0, float.NaN, destination, new float[Neurons])).ParamName);
        Assert.All(destination, v => Assert.Equal(-7, v));
        // The padding of the 64-leaf heap is −∞, yet −∞ selects exactly the 40 neurons.
        Assert.Equal(Enumerable.Range(0, Neurons), ForestAssert.QueryAll(forest, float.NegativeInfinity, sets)[1]);
        Assert.Empty(ForestAssert.QueryAll(forest, float.PositiveInfinity, sets)[1]);
    }

    [Fact]
    public void QueryAll_needs_one_row_per_data_point()
    {
        ThresholdForest forest = Forest(Model());
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => forest.QueryAll(0f, null!)).ParamName);
        var wrong = new ActiveSets(Points + 1);
        wrong.Set(0, [3], [1f]);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => forest.QueryAll(0f, wrong)).ParamName);
        Assert.Equal([3], wrong.Indices(0).ToArray());
        Assert.Equal(1, wrong.TotalCount);
    }

    /// <summary>A batch's rows may not alias the forest's own weights (they would be overwritten while still in use); a
    /// rebuild from <see cref="ThresholdForest.Weights"/> itself is allowed and changes nothing.</summary>
    [Fact]
    public void Updates_from_the_forests_own_weights()
    {
        ForestModel model = Model();
        ThresholdForest forest = Forest(model);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => forest.UpdateMany([1, 0], forest.Weights.Slice(0, 0, 2, Dimension))).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() =>
            forest.UpdateAll(new ReadOnlyMatrixView<float>(forest.Weights.Data[1..], Neurons, Dimension - 1, Dimension))).ParamName);
        forest.UpdateAll(forest.Weights);
        forest.Update(2, forest.Weights.Row(5));
        model.Set(2, model.Weights.AsSpan(5 * Dimension, Dimension).ToArray());
        ForestAssert.MatchesModel(forest, model, "after updates from its own weights");
    }

    /// <summary>Layouts and storage refuse trees longer than an array before allocating anything.</summary>
    [Fact]
    public void Trees_longer_than_an_array_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new WideMaxTree(int.MaxValue));
        Assert.Throws<ArgumentException>(() => new BinaryMaxHeap((1 << 30) + 1));
        Assert.Throws<ArgumentException>(() => new TreeStorage(2, 64, 63));
    }
}
