using Kernels.Blas;
using Kernels.Trees;

namespace Kernels.Verification.Trees;

/// <summary>
/// <see cref="ThresholdForest.Rewrite{TRewriter}"/>: a forest that rewrites rows of W itself as it refreshes them, against
/// a forest over a copy of the same W whose rows are rewritten in place by the test and then refreshed
/// (<see cref="ThresholdForest.Refresh"/>); the rewriter's calls; and its bad input.
/// </summary>
public sealed partial class ThresholdForestTests
{
    /// <summary>
    /// New row = ½·old row + a given row: the rewriter reads the row it rewrites. Records each call (how many per
    /// position, and the neuron) so that the test can check every listed row was handed over once, as itself.
    /// </summary>
    private readonly struct HalveAndAdd(float[] rows, int dimension, int[] calls, int[] neurons) : IRowRewriter
    {
        public void Rewrite(int position, int neuron, Span<float> row)
        {
            Interlocked.Increment(ref calls[position]);
            neurons[position] = neuron;
            Apply(rows.AsSpan(position * dimension, dimension), row);
        }

        public static void Apply(ReadOnlySpan<float> add, Span<float> row)
        {
            for (int k = 0; k < row.Length; k++)
            {
                row[k] = 0.5f * row[k] + add[k];
            }
        }
    }

    /// <summary>Leaves every row as it was (writing it back), for the allocation test.</summary>
    private readonly struct WriteBack : IRowRewriter
    {
        public void Rewrite(int position, int neuron, Span<float> row) => row.CopyTo(row);
    }

    /// <summary>Scales every row by 8 (so that its positive leaves grow past the maxima of their ranges, which the levels
    /// above must then show) and writes <paramref name="value"/> into coordinate 2 of the row at position <paramref name="bad"/>.</summary>
    private readonly struct SpoilOne(int bad, float value) : IRowRewriter
    {
        public void Rewrite(int position, int neuron, Span<float> row)
        {
            foreach (ref float w in row)
            {
                w *= 8;
            }
            if (position == bad)
            {
                row[2] = value;
            }
        }
    }

    /// <summary>
    /// After each of three rounds (a sparse, a moderate and a dense share of the neurons), the rewriting forest holds
    /// the same W and caches the same bits as the one whose rows the test rewrote before <see cref="ThresholdForest.Refresh"/>,
    /// keeps the max order, and answers queries alike; every listed row was handed to the rewriter exactly once, with its
    /// own index. The cases of the Refresh test: single nodes, ranges reaching the top and levels above them; one thread
    /// or two; one batch or batches of 64 (rows checked per batch); one storage array or several; both layouts; and a
    /// forest over its own copy of W as well as a borrowing one.
    /// </summary>
    [Theory]
    [MemberData(nameof(RewrittenRowCases))]
    public void Rewrite_equals_rewriting_rows_in_place_then_Refresh(int neurons, int points, int dimension, int threads, int batchNeurons, bool manySlabs)
    {
        var options = threads == 1 ? BlasOptions.SingleThreaded : TwoThreadsAlways;
        var data = new ReadOnlyMatrixView<float>(UnitRows(points, dimension, seed: 51), points, dimension);
        foreach (ForestLayout layout in Enum.GetValues<ForestLayout>())
        {
            float[] weights = Gaussian(neurons, dimension, seed: 52);
            float[] byHand = (float[])weights.Clone();
            float[] rewritten = (float[])weights.Clone();
            long treeFloats = new ThresholdForest(new ReadOnlyMatrixView<float>(weights, neurons, dimension), data.Slice(0, 0, 1, dimension), layout).TreeBytes / sizeof(float);
            int slab = manySlabs ? (int)(2 * treeFloats + 15) : Array.MaxLength;
            var expected = ThresholdForest.BorrowWithKnobs(byHand, neurons, data, layout, options, slab, batchNeurons);
            var rewriting = ThresholdForest.BorrowWithKnobs(rewritten, neurons, data, layout, options, slab, batchNeurons);
            var owning = new ThresholdForest(new ReadOnlyMatrixView<float>(weights, neurons, dimension), data, layout, options, slab, batchNeurons);
            var random = new Random(neurons + points + dimension);
            foreach (double share in new[] { 0.004, 0.05, 0.6 })
            {
                int[] changed = Enumerable.Range(0, neurons).Where(_ => random.NextDouble() < share).ToArray();
                float[] rows = Gaussian(changed.Length, dimension, seed: (ulong)(53 + changed.Length));
                for (int t = 0; t < changed.Length; t++)
                {
                    HalveAndAdd.Apply(rows.AsSpan(t * dimension, dimension), byHand.AsSpan(changed[t] * dimension, dimension));
                }
                expected.Refresh(changed);
                int[] calls = new int[changed.Length], seen = new int[changed.Length];
                rewriting.Rewrite(changed, new HalveAndAdd(rows, dimension, calls, seen));
                owning.Rewrite(changed, new HalveAndAdd(rows, dimension, new int[changed.Length], new int[changed.Length]));

                string context = $"{layout}, {changed.Length} of {neurons} neurons rewritten";
                Assert.All(calls, c => Assert.Equal(1, c));
                Assert.Equal(changed, seen);
                Assert.Equal(byHand, rewritten);
                Assert.Equal(byHand, owning.Weights.Data.ToArray());
                ForestAssert.SameForest(expected, rewriting, context);
                ForestAssert.SameForest(expected, owning, context);
            }
        }
    }

    /// <summary>
    /// Bad indices are refused, naming <c>neurons</c>, before the rewriter runs (W and the trees untouched). A rewritten
    /// row that holds NaN or infinity or could make an inner product overflow is refused naming <c>rewriter</c>, before
    /// the trees of its batch change: in one batch (and in the binary layout, which takes one) no tree changes; in batches
    /// of 8, a bad row in the first batch changes no tree, and a bad row in the last leaves the earlier batches complete;
    /// rows of later batches are never touched, and the trees keep their max order (m = 70,000: also the levels above
    /// the 4096-leaf ranges, repaired for the complete batches). Writing acceptable rows back and calling
    /// <see cref="ThresholdForest.Refresh"/> with the listed neurons, as the remarks say, leaves the forest a fresh one
    /// over the same W would be.
    /// </summary>
    [Theory]
    [InlineData(5000, 0, ForestLayout.Wide)]
    [InlineData(5000, 8, ForestLayout.Wide)]
    [InlineData(70000, 8, ForestLayout.Wide)]
    [InlineData(5000, 0, ForestLayout.Binary)]
    public void Rewrite_rejects_bad_indices_before_rewriting_and_bad_rows_before_their_trees_change(int neurons, int batchNeurons, ForestLayout layout)
    {
        const int points = 3, dimension = 6;
        var data = new ReadOnlyMatrixView<float>(UnitRows(points, dimension, seed: 61), points, dimension);
        float[] original = Gaussian(neurons, dimension, seed: 62);
        float[] lent = (float[])original.Clone();
        var forest = ThresholdForest.BorrowWithKnobs(lent, neurons, data, layout, TwoThreadsAlways, Array.MaxLength, batchNeurons);
        var before = Enumerable.Range(0, points).Select(i => forest.Values(i).ToArray()).ToArray();
        var spoilAll = new SpoilOne(0, float.NaN);

        Assert.Equal("neurons", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Rewrite([3, neurons], spoilAll)).ParamName);
        Assert.Equal("neurons", Assert.Throws<ArgumentOutOfRangeException>(() => forest.Rewrite([-1], spoilAll)).ParamName);
        Assert.Equal("neurons", Assert.Throws<ArgumentException>(() => forest.Rewrite([3, 7, 7], spoilAll)).ParamName);
        Assert.Equal("neurons", Assert.Throws<ArgumentException>(() => forest.Rewrite([9, 4], spoilAll)).ParamName);
        forest.Rewrite([], spoilAll);
        Assert.Equal(original, lent);

        int spacing = neurons / 41;
        int[] many = Enumerable.Range(0, 40).Select(u => u * spacing).ToArray();
        bool oneBatch = batchNeurons == 0 || layout == ForestLayout.Binary;
        foreach (int bad in new[] { 0, many.Length - 1 })
        {
            foreach (float value in new[] { float.NaN, float.PositiveInfinity, float.MaxValue / 4 })
            {
                Assert.Equal("rewriter", Assert.Throws<ArgumentException>(() => forest.Rewrite(many, new SpoilOne(bad, value))).ParamName);
                Assert.Equal(value, lent[many[bad] * dimension + 2]);
                for (int i = 0; i < points && (oneBatch || bad < batchNeurons); i++)
                {
                    Assert.Equal(before[i], forest.Values(i).ToArray());
                }
                int untouchedFrom = oneBatch ? many.Length : (bad / batchNeurons + 1) * batchNeurons;
                for (int t = 0; t < many.Length; t++)
                {
                    Assert.Equal(t >= untouchedFrom, lent[many[t] * dimension] == original[many[t] * dimension]);
                }
                Assert.Null(forest.FindViolation());

                foreach (int j in many)
                {
                    original.AsSpan(j * dimension, dimension).CopyTo(lent.AsSpan(j * dimension, dimension));
                }
                forest.Refresh(many);
                for (int i = 0; i < points; i++)
                {
                    Assert.Equal(before[i], forest.Values(i).ToArray());
                }
                Assert.Null(forest.FindViolation());
            }
        }
    }
}
