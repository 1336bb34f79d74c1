using Kernels.Activations;
using Kernels.Trees;
using Kernels.Verification.Infrastructure;
using Xunit.Sdk;

namespace Kernels.Verification.Trees;

/// <summary>The checks every forest test shares: consistency with the model, the max order, and query answers.</summary>
internal static class ForestAssert
{
    /// <summary>
    /// The forest's invariant (every internal node is the max of its children, unused slots hold −∞), its weights
    /// and data equal the model's, and every cached value equals the model's inner product: bit for bit for exact
    /// data, otherwise within d + 2 roundings of Σ|w_jk·x_ik|.
    /// </summary>
    public static void MatchesModel(ThresholdForest forest, ForestModel model, string context)
    {
        string? violation = forest.FindViolation();
        if (violation is not null)
        {
            throw new XunitException($"{context}: {forest.Layout} max order broken at {violation}.");
        }
        Assert.True(forest.Weights.Data[..model.Weights.Length].SequenceEqual(model.Weights), $"{context}: weights differ from the model.");
        Assert.True(forest.Data.Data[..model.Data.Length].SequenceEqual(model.Data), $"{context}: data differ from the model.");
        for (int i = 0; i < model.Points; i++)
        {
            ReadOnlySpan<float> values = forest.Values(i);
            for (int j = 0; j < model.Neurons; j++)
            {
                string where = $"{context}: {forest.Layout} value ({i}, {j})";
                if (model.Exact)
                {
                    Tolerance.AssertIdentical((float)model.Product(i, j), values[j], where);
                }
                else
                {
                    Tolerance.AssertClose(values[j], model.Product(i, j), model.Magnitude(i, j), model.Dimension + 2, where);
                }
            }
        }
    }

    /// <summary>Both forests cache the same bits for every leaf.</summary>
    public static void SameValues(ThresholdForest expected, ThresholdForest actual, string context)
    {
        for (int i = 0; i < expected.DataPoints; i++)
        {
            ReadOnlySpan<float> a = expected.Values(i), b = actual.Values(i);
            for (int j = 0; j < a.Length; j++)
            {
                Tolerance.AssertIdentical(a[j], b[j], $"{context}: {expected.Layout} vs {actual.Layout} value ({i}, {j})");
            }
        }
    }

    /// <summary>
    /// <paramref name="actual"/>, updated by another path than <paramref name="expected"/>, caches the same bits, keeps the
    /// max order, and counts the same answers at a low, a middle and a high threshold for every point.
    /// </summary>
    public static void SameForest(ThresholdForest expected, ThresholdForest actual, string context)
    {
        SameValues(expected, actual, context);
        Assert.Null(actual.FindViolation());
        for (int i = 0; i < expected.DataPoints; i++)
        {
            foreach (float threshold in new[] { -1f, 0.5f, 2f })
            {
                Assert.Equal(expected.Count(i, threshold), actual.Count(i, threshold));
            }
        }
    }

    /// <summary>
    /// Query, Count and QueryAll for point <paramref name="i"/> at <paramref name="threshold"/> return exactly the
    /// neurons whose cached value is ≥ the threshold (ties included), ascending; with exact data also exactly the
    /// model's set. A roomy destination keeps its tail, an exact one takes the counting path, and one too small
    /// throws without writing. Returns the answer.
    /// </summary>
    public static int[] Query(ThresholdForest forest, ForestModel? model, int i, float threshold, string context)
    {
        ReadOnlySpan<float> values = forest.Values(i);
        var expected = new List<int>();
        for (int j = 0; j < values.Length; j++)
        {
            if (values[j] >= threshold)
            {
                expected.Add(j);
            }
        }
        string where = $"{context}: {forest.Layout} query (i={i}, τ={threshold:R})";
        if (model is { Exact: true })
        {
            Assert.True(model.Active(i, threshold).SequenceEqual(expected), $"{where}: the cached values disagree with the model.");
        }

        Assert.True(expected.Count == forest.Count(i, threshold), $"{where}: Count");
        int[] roomy = Enumerable.Repeat(-7, forest.Neurons + 3).ToArray();
        int count = forest.Query(i, threshold, roomy);
        Assert.True(expected.Count == count, $"{where}: returned count {count}, expected {expected.Count}");
        Assert.True(expected.SequenceEqual(roomy[..count]), $"{where}: got [{string.Join(",", roomy[..count])}], expected [{string.Join(",", expected)}]");
        Assert.All(roomy[count..], v => Assert.Equal(-7, v));

        int[] exact = new int[expected.Count];
        Assert.Equal(expected.Count, forest.Query(i, threshold, exact));
        Assert.Equal(expected, exact);
        if (expected.Count > 0)
        {
            int[] tooSmall = Enumerable.Repeat(-7, expected.Count - 1).ToArray();
            var ex = Assert.Throws<ArgumentException>(() => forest.Query(i, threshold, tooSmall));
            Assert.Equal("destination", ex.ParamName);
            Assert.All(tooSmall, v => Assert.Equal(-7, v));
        }
        QueryWithValues(forest, i, threshold, expected, where);
        return [.. expected];
    }

    /// <summary>
    /// The query with values returns the expected indices and, beside each, its cached value bit for bit; with a roomy
    /// pair the tails are kept, with exact spans the counting path runs, and either span one too short throws, naming
    /// it, without writing to either.
    /// </summary>
    private static void QueryWithValues(ThresholdForest forest, int i, float threshold, List<int> expected, string where)
    {
        float[] leaves = forest.Values(i).ToArray();
        float[] expectedValues = expected.Select(j => leaves[j]).ToArray();
        int[] indices = Enumerable.Repeat(-7, forest.Neurons + 2).ToArray();
        float[] values = Enumerable.Repeat(-7f, forest.Neurons + 2).ToArray();
        int count = forest.Query(i, threshold, indices, values);
        Assert.True(expected.Count == count, $"{where}: with values, returned count {count}, expected {expected.Count}");
        Assert.Equal(expected, indices[..count]);
        SameBits(expectedValues, values[..count], $"{where}: values");
        Assert.All(indices[count..], v => Assert.Equal(-7, v));
        Assert.All(values[count..], v => Assert.Equal(-7f, v));

        int[] exactIndices = new int[expected.Count];
        float[] exactValues = new float[expected.Count];
        Assert.Equal(expected.Count, forest.Query(i, threshold, exactIndices, exactValues));
        Assert.Equal(expected, exactIndices);
        SameBits(expectedValues, exactValues, $"{where}: exact values");
        if (expected.Count > 0)
        {
            int[] shortIndices = Enumerable.Repeat(-7, expected.Count - 1).ToArray();
            float[] shortValues = Enumerable.Repeat(-7f, expected.Count - 1).ToArray();
            float[] roomyValues = Enumerable.Repeat(-7f, expected.Count).ToArray();
            int[] roomyIndices = Enumerable.Repeat(-7, expected.Count).ToArray();
            Assert.Equal("indices", Assert.Throws<ArgumentException>(() => forest.Query(i, threshold, shortIndices, roomyValues)).ParamName);
            Assert.Equal("values", Assert.Throws<ArgumentException>(() => forest.Query(i, threshold, roomyIndices, shortValues)).ParamName);
            Assert.All(shortIndices, v => Assert.Equal(-7, v));
            Assert.All(roomyIndices, v => Assert.Equal(-7, v));
            Assert.All(shortValues, v => Assert.Equal(-7f, v));
            Assert.All(roomyValues, v => Assert.Equal(-7f, v));
        }
    }

    private static void SameBits(float[] expected, float[] actual, string context)
    {
        Assert.True(expected.Length == actual.Length, $"{context}: length {actual.Length}, expected {expected.Length}");
        for (int t = 0; t < expected.Length; t++)
        {
            Tolerance.AssertIdentical(expected[t], actual[t], $"{context}[{t}]");
        }
    }

    /// <summary>
    /// <see cref="ThresholdForest.QueryAll"/> into <paramref name="sets"/> (fresh when null), checked against
    /// <see cref="ThresholdForest.Query(int, float, Span{int}, Span{float})"/> row by row, indices and values alike.
    /// Returns the index lists.
    /// </summary>
    public static int[][] QueryAll(ThresholdForest forest, float threshold, ActiveSets? sets = null)
    {
        sets ??= new ActiveSets(forest.DataPoints);
        forest.QueryAll(threshold, sets);
        var answers = new int[forest.DataPoints][];
        int[] indices = new int[forest.Neurons];
        float[] values = new float[forest.Neurons];
        long total = 0;
        for (int i = 0; i < forest.DataPoints; i++)
        {
            int count = forest.Query(i, threshold, indices, values);
            Assert.Equal(indices[..count], sets.Indices(i).ToArray());
            SameBits(values[..count], sets.Values(i).ToArray(), $"QueryAll row {i}");
            answers[i] = sets.Indices(i).ToArray();
            total += count;
        }
        Assert.Equal(total, sets.TotalCount);
        return answers;
    }

    /// <summary>A threshold for point <paramref name="i"/> chosen by <paramref name="seed"/>: often exactly a cached value
    /// (a tie, which must be reported), sometimes just above one, a value in between, or ±∞.</summary>
    public static float PickThreshold(ThresholdForest forest, int i, int seed)
    {
        var random = new System.Random(seed);
        ReadOnlySpan<float> values = forest.Values(i);
        float someValue = values[random.Next(values.Length)];
        return random.Next(8) switch
        {
            0 => float.NegativeInfinity,
            1 => float.PositiveInfinity,
            2 => float.BitIncrement(someValue),
            3 => float.BitDecrement(someValue),
            4 => (float)(random.NextDouble() * 4 - 2) * MathF.Max(1, MathF.Abs(someValue)),
            _ => someValue,
        };
    }
}
