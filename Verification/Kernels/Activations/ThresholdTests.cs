using System.Numerics;
using FsCheck;
using Kernels.Activations;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Activations;

/// <summary><see cref="Threshold"/> against a scalar scan: the index lists must be identical.</summary>
public sealed class ThresholdTests
{
    /// <summary>Thresholds on uniform [−1, 1] data selecting none, about 1 %, about half and all of the non-NaN values.</summary>
    private static readonly double[] Selectivities = [2, 0.98, 0, -2];

    [Fact]
    public void Compress_and_count_match_a_scalar_scan_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            foreach (double threshold in Selectivities)
            {
                Check(WithNaNs<float>(new VectorCase(n, n % 7, ValueKind.Uniform, n)).Span, (float)threshold, 0);
                Check(WithNaNs<double>(new VectorCase(n, n % 3, ValueKind.Uniform, n)).Span, threshold, n);
            }
        }
    }

    [KernelProperty]
    public void Compress_and_count_match_a_scalar_scan(VectorCase c, NonNegativeInt pick, NonNegativeInt offset)
    {
        CheckCase<float>(c, pick.Get, offset.Get);
        CheckCase<double>(c, pick.Get, offset.Get);
    }

    private static void CheckCase<T>(VectorCase c, int pick, int offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> values = WithNaNs<T>(c).Span;
        // A threshold taken from the data puts elements exactly on the boundary, which must count as selected.
        T threshold = values.Length == 0 || T.IsNaN(values[pick % values.Length]) ? T.Zero : values[pick % values.Length];
        Check(values, threshold, offset);
    }

    private static void Check<T>(ReadOnlySpan<T> values, T threshold, int indexOffset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var expected = new List<int>();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] >= threshold)
            {
                expected.Add(indexOffset + i);
            }
        }
        string context = $"{typeof(T).Name} n={values.Length} threshold={threshold} offset={indexOffset}";
        Assert.True(expected.Count == Threshold.CountGreaterOrEqual(values, threshold), $"count, {context}");

        int[] roomy = Enumerable.Repeat(-7, values.Length + 2).ToArray();
        int count = Threshold.CompressGreaterOrEqual(values, threshold, roomy, indexOffset);
        Assert.True(expected.Count == count, $"returned count, {context}");
        Assert.Equal(expected, roomy[..count]);
        Assert.All(roomy[count..], v => Assert.Equal(-7, v));

        // A destination of exactly the right size takes the counting path when it is shorter than the values.
        int[] tight = new int[expected.Count];
        Assert.Equal(expected.Count, Threshold.CompressGreaterOrEqual(values, threshold, tight, indexOffset));
        Assert.Equal(expected, tight);

        if (expected.Count > 0)
        {
            int[] tooSmall = Enumerable.Repeat(-7, expected.Count - 1).ToArray();
            T[] copy = values.ToArray();
            var ex = Assert.Throws<ArgumentException>(() => Threshold.CompressGreaterOrEqual<T>(copy, threshold, tooSmall, indexOffset));
            Assert.Equal("indices", ex.ParamName);
            Assert.All(tooSmall, v => Assert.Equal(-7, v));
        }
    }

    /// <summary>The case's values with some NaNs, which are never selected.</summary>
    private static Memory<T> WithNaNs<T>(VectorCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Memory<T> memory = c.Values<T>();
        Span<T> x = memory.Span;
        var random = new System.Random(c.Seed);
        for (int i = random.Next(20); i < x.Length; i += 1 + random.Next(40))
        {
            x[i] = T.NaN;
        }
        return memory;
    }

    [Fact]
    public void Count_and_compress_do_not_allocate()
    {
        float[] values = SampleData.Vector<float>(1000, ValueKind.Uniform, 4).ToArray();
        int[] indices = new int[100];
        long allocated = Allocation.Measure(() =>
        {
            Threshold.CountGreaterOrEqual<float>(values, 0.9f);
            Threshold.CompressGreaterOrEqual<float>(values, 0.9f, indices);
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Chunks_with_an_index_offset_give_the_whole_array_result()
    {
        float[] values = SampleData.Vector<float>(10_007, ValueKind.Uniform, 11).ToArray();
        int[] whole = new int[values.Length];
        int wholeCount = Threshold.CompressGreaterOrEqual<float>(values, 0.9f, whole);

        int[] chunked = new int[values.Length];
        int chunkedCount = 0;
        for (int start = 0; start < values.Length; start += 999)
        {
            ReadOnlySpan<float> chunk = values.AsSpan(start, Math.Min(999, values.Length - start));
            chunkedCount += Threshold.CompressGreaterOrEqual(chunk, 0.9f, chunked.AsSpan(chunkedCount), start);
        }
        Assert.Equal(wholeCount, chunkedCount);
        Assert.Equal(whole[..wholeCount], chunked[..chunkedCount]);
        Assert.InRange(wholeCount, 400, 600); // about 5 % of uniform [−1, 1] lies at or above 0.9
    }

    [Fact]
    public void Infinite_thresholds_select_all_or_only_positive_infinity()
    {
        double[] values = [1, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.MaxValue];
        Assert.Equal(5, Threshold.CountGreaterOrEqual<double>(values, double.NegativeInfinity));
        int[] indices = new int[6];
        Assert.Equal(1, Threshold.CompressGreaterOrEqual<double>(values, double.PositiveInfinity, indices));
        Assert.Equal(2, indices[0]);
        Assert.Equal(4, Threshold.CompressGreaterOrEqual<double>(values, 0.0, indices));
        Assert.Equal([0, 2, 4, 5], indices[..4]);
    }

    [Fact]
    public void Bad_threshold_and_offset_throw_before_writing()
    {
        float[] values = SampleData.Vector<float>(10, ValueKind.Uniform, 1).ToArray();
        int[] indices = Enumerable.Repeat(-7, 10).ToArray();
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => Threshold.CompressGreaterOrEqual<float>(values, float.NaN, indices)).ParamName);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => Threshold.CountGreaterOrEqual<double>([1.0], double.NaN)).ParamName);
        Assert.Equal("indexOffset", Assert.Throws<ArgumentOutOfRangeException>(() => Threshold.CompressGreaterOrEqual<float>(values, 0f, indices, -1)).ParamName);
        Assert.Equal("indexOffset", Assert.Throws<ArgumentOutOfRangeException>(() => Threshold.CompressGreaterOrEqual<float>(values, 0f, indices, int.MaxValue - 8)).ParamName);
        Assert.All(indices, v => Assert.Equal(-7, v));

        // The largest offset that keeps the last index representable is allowed.
        values.AsSpan().Fill(1);
        Assert.Equal(10, Threshold.CompressGreaterOrEqual<float>(values, 0f, indices, int.MaxValue - 9));
        Assert.Equal(int.MaxValue, indices[9]);
    }
}
