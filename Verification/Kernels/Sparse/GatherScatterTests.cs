using System.Numerics;
using FsCheck;
using Kernels.Simd;
using Kernels.Sparse;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Sparse;

/// <summary><see cref="GatherScatter"/> against scalar loops; both results are exact, so they must agree bit for bit.</summary>
public sealed class GatherScatterTests
{
    // ---- Gather --------------------------------------------------------------------------------------------

    [Fact]
    public void Gather_copies_every_indexed_element_bit_for_bit_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            // A short source forces many repeated indices; a long one spreads them out.
            CheckGather(Salted<float>(n % 37 + 1, n), n, seed: n);
            CheckGather(Salted<double>(2 * n + 5, n), n, seed: n + 1);
        }
    }

    [KernelProperty]
    public void Gather_matches_a_scalar_loop(VectorCase source, PositiveInt count)
    {
        int n = source.Length == 0 ? 0 : count.Get % 700;
        CheckGather<float>(source.Values<float>().Span, n, source.Seed);
        CheckGather<double>(source.Values<double>().Span, n, source.Seed);
    }

    private static void CheckGather<T>(ReadOnlySpan<T> x, int n, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new System.Random(seed);
        int[] indices = new int[n];
        for (int k = 0; k < n; k++)
        {
            indices[k] = random.Next(x.Length);
        }
        T sentinel = T.CreateChecked(12345);
        T[] destination = Enumerable.Repeat(sentinel, n + 3).ToArray();
        GatherScatter.Gather(x, indices, destination);
        for (int k = 0; k < n; k++)
        {
            Assert.True(Bits(x[indices[k]]) == Bits(destination[k]), $"Gather<{typeof(T).Name}>[{k}] of {n}: expected {x[indices[k]]}, got {destination[k]}");
        }
        Assert.All(destination[n..], v => Assert.Equal(sentinel, v));
    }

    [Fact]
    public void Gather_rejects_an_out_of_range_index_before_writing()
    {
        foreach (int n in new[] { 1, 3, 4, 7, 8, 9, 16, 17, 33, 100 })
        {
            foreach (int at in new[] { 0, n / 2, n - 1 })
            {
                foreach (int bad in new[] { -1, 50, int.MinValue, int.MaxValue })
                {
                    float[] x = SampleData.Vector<float>(50, ValueKind.Uniform, n).ToArray();
                    int[] indices = Enumerable.Range(0, n).Select(k => k % 50).ToArray();
                    indices[at] = bad;
                    float[] destination = new float[n];
                    var ex = Assert.Throws<ArgumentOutOfRangeException>(() => GatherScatter.Gather<float>(x, indices, destination));
                    Assert.Equal("indices", ex.ParamName);
                    Assert.Contains($"indices[{at}] is {bad}", ex.Message);
                    Assert.All(destination, v => Assert.Equal(0f, v));
                }
            }
        }
    }

    [Fact]
    public void Gather_rejects_short_and_aliased_destinations()
    {
        double[] buffer = SampleData.Vector<double>(64, ValueKind.Uniform, 1).ToArray();
        double[] snapshot = buffer.ToArray();
        int[] indices = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => GatherScatter.Gather<double>(buffer.AsSpan(0, 20), indices, buffer.AsSpan(30, 9))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => GatherScatter.Gather<double>(buffer.AsSpan(0, 20), indices, buffer.AsSpan(0, 20))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => GatherScatter.Gather<double>(buffer.AsSpan(0, 20), indices, buffer.AsSpan(15, 10))).ParamName);
        Assert.Equal(snapshot, buffer);
    }

    [Fact]
    public void Gather_from_an_empty_source_accepts_only_no_indices()
    {
        GatherScatter.Gather<float>([], [], []);
        Assert.Equal("indices", Assert.Throws<ArgumentOutOfRangeException>(() => GatherScatter.Gather<float>([], [0], new float[1])).ParamName);
    }

    // ---- ScatterAdd ----------------------------------------------------------------------------------------

    [Fact]
    public void ScatterAdd_accumulates_in_index_order_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            // A short y makes most indices repeat, which is where the order of accumulation shows.
            CheckScatterAdd<float>(-0.75f, Salted<float>(n, n), n % 13 + 1, n);
            CheckScatterAdd<double>(1.5, SampleData.Vector<double>(n, ValueKind.Special, n).Span, 3 * n + 1, n + 1);
        }
    }

    [KernelProperty]
    public void ScatterAdd_matches_a_scalar_loop(VectorCase c, NormalFloat alpha, PositiveInt yLength)
    {
        CheckScatterAdd((float)alpha.Get, c.Values<float>().Span, yLength.Get % 300 + 1, c.Seed);
        CheckScatterAdd(alpha.Get, c.Values<double>().Span, yLength.Get % 300 + 1, c.Seed);
    }

    private static void CheckScatterAdd<T>(T alpha, ReadOnlySpan<T> x, int yLength, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new System.Random(seed);
        int[] indices = new int[x.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            indices[k] = random.Next(yLength);
        }
        T[] y = SampleData.Vector<T>(yLength, ValueKind.Uniform, seed + 1).ToArray();
        T[] expected = y.ToArray();
        for (int k = 0; k < x.Length; k++)
        {
            // The documented rule: one fused multiply-add per update where the hardware has it, in index order.
            ref T target = ref expected[indices[k]];
            target = SimdCapabilities.FusedMultiplyAdd ? T.FusedMultiplyAdd(alpha, x[k], target) : alpha * x[k] + target;
        }
        GatherScatter.ScatterAdd(alpha, x, indices, y);
        for (int i = 0; i < y.Length; i++)
        {
            Tolerance.AssertIdentical(expected[i], y[i], $"ScatterAdd<{typeof(T).Name}> y[{i}] of {yLength}, n={x.Length}");
        }
    }

    [Fact]
    public void ScatterAdd_validates_before_writing()
    {
        foreach (int bad in new[] { -1, 30, int.MinValue, int.MaxValue })
        {
            float[] x = SampleData.Vector<float>(40, ValueKind.Uniform, 2).ToArray();
            int[] indices = Enumerable.Range(0, 40).Select(k => k % 30).ToArray();
            indices[37] = bad;
            float[] y = new float[30];
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => GatherScatter.ScatterAdd<float>(2f, x, indices, y));
            Assert.Equal("indices", ex.ParamName);
            Assert.Contains("indices[37]", ex.Message);
            Assert.All(y, v => Assert.Equal(0f, v));
        }

        double[] buffer = SampleData.Vector<double>(64, ValueKind.Uniform, 3).ToArray();
        double[] snapshot = buffer.ToArray();
        int[] some = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => GatherScatter.ScatterAdd<double>(1, buffer.AsSpan(0, 11), some, buffer.AsSpan(30, 20))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => GatherScatter.ScatterAdd<double>(1, buffer.AsSpan(0, 10), some, buffer.AsSpan(0, 10))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => GatherScatter.ScatterAdd<double>(1, buffer.AsSpan(0, 10), some, buffer.AsSpan(5, 20))).ParamName);
        Assert.Equal(snapshot, buffer);
    }

    [Fact]
    public void Gather_and_ScatterAdd_do_not_allocate()
    {
        double[] x = SampleData.Vector<double>(100, ValueKind.Uniform, 1).ToArray();
        int[] indices = Enumerable.Range(0, 100).Select(k => (k * 37) % 100).ToArray();
        double[] destination = new double[100];
        long allocated = Allocation.Measure(() =>
        {
            GatherScatter.Gather<double>(x, indices, destination);
            GatherScatter.ScatterAdd<double>(0.5, x, indices, destination);
        });
        Assert.Equal(0, allocated);
    }

    // ---- Helpers -------------------------------------------------------------------------------------------

    /// <summary>Special values salted with NaN (with a payload), infinities and −0, all of which a gather must copy exactly.</summary>
    private static T[] Salted<T>(int length, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = SampleData.Vector<T>(length, ValueKind.Special, seed).ToArray();
        var random = new System.Random(seed);
        for (int i = 0; i < length; i += 1 + random.Next(9))
        {
            x[i] = random.Next(4) switch
            {
                0 => PayloadNaN<T>(),
                1 => T.PositiveInfinity,
                2 => T.NegativeInfinity,
                _ => T.NegativeZero,
            };
        }
        return x;
    }

    private static T PayloadNaN<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float)
            ? (T)(object)BitConverter.UInt32BitsToSingle(0x7FC0_1234)
            : (T)(object)BitConverter.UInt64BitsToDouble(0x7FF8_0000_0000_1234);

    private static ulong Bits<T>(T value) where T : unmanaged =>
        typeof(T) == typeof(float) ? BitConverter.SingleToUInt32Bits((float)(object)value) : BitConverter.DoubleToUInt64Bits((double)(object)value);
}
