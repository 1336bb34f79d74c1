using Kernels.Blas;
using Kernels.Trees;

namespace Kernels.Verification.Trees;

/// <summary>
/// <see cref="ThresholdForest.Refresh"/>: a borrowing forest whose caller rewrites rows of W in place and then refreshes
/// them, against a copying forest given the same rows through <see cref="ThresholdForest.UpdateMany"/>; and its bad input.
/// </summary>
public sealed partial class ThresholdForestTests
{
    private static readonly BlasOptions TwoThreadsAlways = new() { MaxThreads = 2, ParallelThreshold = 0 };

    /// <summary>
    /// The forests of the rewritten-row tests (neurons, points, dimension, threads, batch, several storage arrays): m spans
    /// a single node (m ≤ 16), trees whose ranges reach the top (m ≤ 16³·16) and trees with levels above the ranges
    /// (m = 70,000); one thread or two (every part split); one batch, or batches of 64 neurons; one storage array or several.
    /// </summary>
    public static TheoryData<int, int, int, int, int, bool> RewrittenRowCases => new()
    {
        { 1, 1, 3, 1, 0, false },
        { 16, 3, 5, 1, 0, false },
        { 300, 4, 7, 2, 0, false },
        { 5000, 17, 16, 2, 0, false },
        { 5000, 5, 33, 1, 64, true },
        { 70000, 3, 4, 2, 0, false },
        { 70000, 2, 9, 2, 64, true },
    };

    /// <summary>
    /// After each of three rounds of rewritten rows (a sparse, a moderate and a dense share of the neurons, so that
    /// aligned ranges hold from none to thousands of changed leaves), the refreshed forest caches the same bits as
    /// the one updated through <see cref="ThresholdForest.UpdateMany"/>, keeps the max order, and answers queries alike.
    /// m spans a single node (m ≤ 16), trees whose ranges reach the top (m ≤ 16³·16) and trees with levels above the
    /// ranges (m = 70,000); one thread or two (every part split); one batch, or batches of 64 neurons (rows checked
    /// first); one storage array or several.
    /// </summary>
    [Theory]
    [MemberData(nameof(RewrittenRowCases))]
    public void Refresh_after_rewriting_rows_in_place_equals_UpdateMany(int neurons, int points, int dimension, int threads,
        int batchNeurons, bool manySlabs)
    {
        var options = threads == 1 ? BlasOptions.SingleThreaded : TwoThreadsAlways;
        var data = new ReadOnlyMatrixView<float>(UnitRows(points, dimension, seed: 31), points, dimension);
        foreach (ForestLayout layout in Enum.GetValues<ForestLayout>())
        {
            float[] weights = Gaussian(neurons, dimension, seed: 32);
            float[] lent = (float[])weights.Clone();
            // Several arrays: two trees (and their alignment) per array at most.
            long treeFloats = new ThresholdForest(new ReadOnlyMatrixView<float>(weights, neurons, dimension), data.Slice(0, 0, 1, dimension), layout).TreeBytes / sizeof(float);
            int slab = manySlabs ? (int)(2 * treeFloats + 15) : Array.MaxLength;
            var expected = new ThresholdForest(new ReadOnlyMatrixView<float>(weights, neurons, dimension), data, layout, options, slab, batchNeurons);
            var refreshed = ThresholdForest.BorrowWithKnobs(lent, neurons, data, layout, options, slab, batchNeurons);
            Assert.True(!manySlabs || points < 3 || refreshed.StorageArrays > 1);
            var random = new Random(neurons + points + dimension);
            foreach (double share in new[] { 0.004, 0.05, 0.6 })
            {
                int[] changed = Enumerable.Range(0, neurons).Where(_ => random.NextDouble() < share).ToArray();
                float[] rows = Gaussian(changed.Length, dimension, seed: (ulong)(33 + changed.Length));
                for (int t = 0; t < changed.Length; t++)
                {
                    rows.AsSpan(t * dimension, dimension).CopyTo(lent.AsSpan(changed[t] * dimension, dimension));
                }
                expected.UpdateMany(changed, new ReadOnlyMatrixView<float>(rows, changed.Length, dimension));
                refreshed.Refresh(changed);

                string context = $"{layout}, {changed.Length} of {neurons} neurons refreshed";
                ForestAssert.SameForest(expected, refreshed, context);
                Assert.Equal(expected.Weights.Data.ToArray(), lent);
            }
        }
    }

    /// <summary>
    /// Indices out of range, repeated or descending, and rewritten rows that hold NaN or infinity or could make an inner
    /// product overflow are refused, naming <c>neurons</c>, before any tree changes (in one batch, where the rows are
    /// checked as their leaves are computed, and in several, where they are checked first); an empty list changes nothing.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Refresh_rejects_bad_indices_and_bad_rows_before_changing_a_tree(int batchNeurons)
    {
        const int neurons = 5000, points = 3, dimension = 6;
        var data = new ReadOnlyMatrixView<float>(UnitRows(points, dimension, seed: 41), points, dimension);
        float[] lent = Gaussian(neurons, dimension, seed: 42);
        var forest = ThresholdForest.BorrowWithKnobs(lent, neurons, data, ForestLayout.Wide, TwoThreadsAlways, Array.MaxLength, batchNeurons);
        var before = Enumerable.Range(0, points).Select(i => forest.Values(i).ToArray()).ToArray();

        Assert.Equal("neurons", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Refresh([3, neurons])).ParamName);
        Assert.Equal("neurons", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Refresh([-1])).ParamName);
        Assert.Equal("neurons", Assert.Throws<ArgumentException>(() => forest.Refresh([3, 7, 7])).ParamName);
        Assert.Equal("neurons", Assert.Throws<ArgumentException>(() => forest.Refresh([9, 4])).ParamName);
        forest.Refresh([]);

        int[] many = Enumerable.Range(0, 40).Select(u => u * 97).ToArray();
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.MaxValue / 4 })
        {
            float saved = lent[many[^1] * dimension + 2];
            lent[many[^1] * dimension + 2] = bad;
            Assert.Equal("neurons", Assert.Throws<ArgumentException>(() => forest.Refresh(many)).ParamName);
            lent[many[^1] * dimension + 2] = saved;
            for (int i = 0; i < points; i++)
            {
                Assert.Equal(before[i], forest.Values(i).ToArray());
            }
        }
        Assert.Null(forest.FindViolation());
    }
}
