using Kernels.Blas;
using Kernels.Trees;

namespace Kernels.Verification.Trees;

/// <summary>
/// A forest over the caller's W (<see cref="ThresholdForest.Borrow"/>) against one over its own copy, and
/// <see cref="ThresholdForest.UpdateMany"/> split into small batches against one batch.
/// </summary>
public sealed partial class ThresholdForestTests
{
    /// <summary>
    /// Both forests take the same updates (an unordered batch with repeats, an ascending batch, single updates, a
    /// rebuild): they hold the same leaves after each, the borrowed one stays a valid max forest, and the lent W holds
    /// exactly the weights the copying forest holds, seen in place through <see cref="ThresholdForest.Weights"/>.
    /// </summary>
    [Fact]
    public void A_borrowing_forest_equals_a_copying_one_and_keeps_the_lent_weights_current()
    {
        const int points = 5, neurons = 3000, dimension = 12;
        float[] weights = Gaussian(neurons, dimension, seed: 21);
        var data = new ReadOnlyMatrixView<float>(UnitRows(points, dimension, seed: 22), points, dimension);
        float[] lent = (float[])weights.Clone();
        var copying = new ThresholdForest(new ReadOnlyMatrixView<float>(weights, neurons, dimension), data);
        var borrowing = ThresholdForest.Borrow(lent, neurons, data);
        Assert.True(borrowing.Weights.Data.Overlaps(lent, out int offset) && offset == 0);
        Check("init");

        int[] unordered = Enumerable.Range(0, 700).Select(u => u * 37 % 1000 * 3 % neurons).ToArray();
        float[] rows = Gaussian(unordered.Length, dimension, seed: 23);
        Both(f => f.UpdateMany(unordered, new ReadOnlyMatrixView<float>(rows, unordered.Length, dimension)));
        Check("unordered batch with repeats");

        int[] ascending = Enumerable.Range(0, 400).Select(u => u * 7).ToArray();
        float[] more = Gaussian(ascending.Length, dimension, seed: 24);
        Both(f => f.UpdateMany(ascending, new ReadOnlyMatrixView<float>(more, ascending.Length, dimension)));
        Check("ascending batch");

        Both(f => f.Update(17, more.AsSpan(0, dimension)));
        Check("single update");

        float[] fresh = Gaussian(neurons, dimension, seed: 25);
        Both(f => f.UpdateAll(new ReadOnlyMatrixView<float>(fresh, neurons, dimension)));
        Check("rebuild");
        borrowing.UpdateAll(borrowing.Weights);
        Check("rebuild in place");

        void Both(Action<ThresholdForest> update)
        {
            update(copying);
            update(borrowing);
        }

        void Check(string context)
        {
            ForestAssert.SameValues(copying, borrowing, context);
            Assert.Null(borrowing.FindViolation());
            Assert.Equal(copying.Weights.Data.ToArray(), lent);
        }
    }

    /// <summary>
    /// Batches of 1, 5 and 64 neurons (several per call, a repeated neuron split across two of them) give the same
    /// forest as one batch, on one thread and on two.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(64)]
    public void UpdateMany_in_small_batches_equals_one_batch(int batchNeurons)
    {
        const int points = 4, neurons = 5000, dimension = 8;
        float[] weights = Gaussian(neurons, dimension, seed: 31);
        var w = new ReadOnlyMatrixView<float>(weights, neurons, dimension);
        var x = new ReadOnlyMatrixView<float>(UnitRows(points, dimension, seed: 32), points, dimension);
        var whole = new ThresholdForest(w, x);
        var single = new ThresholdForest(w, x, ForestLayout.Wide, BlasOptions.SingleThreaded, Array.MaxLength, batchNeurons);
        var threaded = new ThresholdForest(w, x, ForestLayout.Wide, new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }, Array.MaxLength,
            batchNeurons);
        foreach (int[] neuronsToUpdate in new[]
        {
            Enumerable.Range(0, 300).Select(u => u * 61 % 250 * 19).ToArray(),
            Enumerable.Range(0, 300).Select(u => u * 11 + 3).ToArray(),
        })
        {
            float[] rows = Gaussian(neuronsToUpdate.Length, dimension, seed: (ulong)neuronsToUpdate[1]);
            var view = new ReadOnlyMatrixView<float>(rows, neuronsToUpdate.Length, dimension);
            whole.UpdateMany(neuronsToUpdate, view);
            single.UpdateMany(neuronsToUpdate, view);
            threaded.UpdateMany(neuronsToUpdate, view);
            ForestAssert.SameValues(whole, single, $"batches of {batchNeurons}, one thread");
            ForestAssert.SameValues(whole, threaded, $"batches of {batchNeurons}, two threads");
            Assert.Null(single.FindViolation());
            Assert.Null(threaded.FindViolation());
            Assert.Equal(whole.Weights.Data.ToArray(), threaded.Weights.Data.ToArray());
        }
    }

    /// <summary>
    /// <see cref="ThresholdForest.Borrow"/> refuses a W of the wrong length, m &lt; 1 and non-finite weights before
    /// building anything, and the updates refuse rows that share memory with the lent W, as for a forest's own copy.
    /// </summary>
    [Fact]
    public void Borrow_rejects_bad_arguments_and_rows_that_alias_the_lent_weights()
    {
        float[] data = UnitRows(Points, Dimension, seed: 41);
        float[] lent = Gaussian(Neurons, Dimension, seed: 42);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => ThresholdForest.Borrow(lent.AsMemory(1), Neurons, X())).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => ThresholdForest.Borrow(lent, Neurons - 1, X())).ParamName);
        Assert.Equal("neurons", Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdForest.Borrow(Memory<float>.Empty, 0, X())).ParamName);
        Assert.Equal("layout", Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdForest.Borrow(lent, Neurons, X(), (ForestLayout)9)).ParamName);
        float saved = lent[5];
        lent[5] = float.NaN;
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => ThresholdForest.Borrow(lent, Neurons, X())).ParamName);
        lent[5] = saved;

        float[] before = (float[])lent.Clone();
        var forest = ThresholdForest.Borrow(lent, Neurons, X());
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() =>
            forest.UpdateMany([1, 0], new ReadOnlyMatrixView<float>(lent.AsSpan(3 * Dimension, 2 * Dimension), 2, Dimension))).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() =>
            forest.UpdateAll(new ReadOnlyMatrixView<float>(lent.AsSpan(1), Neurons, Dimension - 1, Dimension))).ParamName);
        Assert.Equal(before, lent);
        Assert.Null(forest.FindViolation());

        ReadOnlyMatrixView<float> X() => new(data, Points, Dimension);
    }
}
