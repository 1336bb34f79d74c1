using System.Numerics;
using FsCheck;
using Kernels.Activations;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Activations;

/// <summary>
/// <see cref="Rectifiers"/> against their scalar definitions, written out without <c>Max</c> so that they state the
/// documented IEEE 754-2019 behaviour independently: NaN stays NaN, −0 becomes +0. Every result is exact, so the
/// comparison is bitwise (sign of zero included).
/// </summary>
public sealed class RectifiersTests
{
    private static T ReluReference<T>(T x) where T : IFloatingPointIeee754<T> => T.IsNaN(x) ? x : x > T.Zero ? x : T.Zero;

    private static T ShiftedReluReference<T>(T x, T bias) where T : IFloatingPointIeee754<T> => ReluReference(x - bias);

    private static T MaskReference<T>(T x, T bias) where T : IFloatingPointIeee754<T> => x >= bias ? T.One : T.Zero;

    [Fact]
    public void Rectifiers_match_their_definitions_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            CheckAll(new VectorCase(n, n % 7, ValueKind.Special, n), 0.25f);
            CheckAll(new VectorCase(n, n % 3, ValueKind.Uniform, n), -0.5);
            CheckAll(new VectorCase(n, n % 5, ValueKind.SmallIntegers, n), 2.0f);
        }
    }

    [KernelProperty]
    public void Rectifiers_match_their_definitions(VectorCase c, NormalFloat bias)
    {
        CheckAll(c, (float)bias.Get);
        CheckAll(c, bias.Get);
    }

    private static void CheckAll<T>(VectorCase c, T bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(c, bias, "Relu", (x, d) => Rectifiers.Relu(x, d), x => ReluReference(x));
        Check(c, bias, "ShiftedRelu", (x, d) => Rectifiers.ShiftedRelu(x, bias, d), x => ShiftedReluReference(x, bias));
        Check(c, bias, "ShiftedReluMask", (x, d) => Rectifiers.ShiftedReluMask(x, bias, d), x => MaskReference(x, bias));
    }

    private delegate void Kernel<T>(ReadOnlySpan<T> x, Span<T> destination);

    private static void Check<T>(VectorCase c, T bias, string name, Kernel<T> kernel, Func<T, T> reference)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = Salted(c, bias).Span;
        T[] original = x.ToArray();
        T sentinel = T.CreateChecked(-31);
        T[] destination = Enumerable.Repeat(sentinel, x.Length + 2).ToArray();
        kernel(x, destination);
        kernel(x, x);
        for (int i = 0; i < original.Length; i++)
        {
            T expected = reference(original[i]);
            Tolerance.AssertIdentical(expected, destination[i], $"{name}<{typeof(T).Name}>[{i}] of x = {original[i]}, {c}");
            Tolerance.AssertIdentical(expected, x[i], $"in-place {name}<{typeof(T).Name}>[{i}] of x = {original[i]}, {c}");
        }
        Assert.Equal([sentinel, sentinel], destination[original.Length..]);
    }

    /// <summary>The case's values with NaN, infinities, −0 and the bias itself (the boundary) sprinkled in.</summary>
    private static Memory<T> Salted<T>(VectorCase c, T bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Memory<T> memory = c.Values<T>();
        Span<T> x = memory.Span;
        var random = new System.Random(c.Seed);
        for (int i = 0; i < x.Length; i += 1 + random.Next(11))
        {
            x[i] = random.Next(5) switch
            {
                0 => T.NaN,
                1 => T.PositiveInfinity,
                2 => T.NegativeInfinity,
                3 => T.NegativeZero,
                _ => bias,
            };
        }
        return memory;
    }

    [Fact]
    public void NaN_zero_and_the_boundary_behave_as_documented()
    {
        foreach (int n in new[] { 3, 5, 8, 16, 17, 64, 100 })
        {
            float[] x = SampleData.Vector<float>(n, ValueKind.Uniform, n).ToArray();
            x[n - 1] = float.NaN;
            x[n / 2] = -0f;
            x[0] = 0.5f;
            float[] relu = new float[n], shifted = new float[n], mask = new float[n];
            Rectifiers.Relu<float>(x, relu);
            Rectifiers.ShiftedRelu<float>(x, 0.5f, shifted);
            Rectifiers.ShiftedReluMask<float>(x, 0.5f, mask);

            Assert.True(float.IsNaN(relu[n - 1]) && float.IsNaN(shifted[n - 1]), "NaN propagates through the maximum");
            Assert.Equal(0f, mask[n - 1]);
            Assert.True(relu[n / 2] == 0 && float.IsPositive(relu[n / 2]), "max(−0, 0) is +0");
            Assert.True(shifted[0] == 0 && float.IsPositive(shifted[0]), "x = bias gives +0");
            Assert.Equal(1f, mask[0]);
        }
    }

    [Fact]
    public void Mask_marks_exactly_the_positions_that_compress_reports_and_the_positive_outputs()
    {
        foreach (int n in new[] { 0, 7, 16, 33, 300, 4099 })
        {
            double[] x = Salted<double>(new VectorCase(n, 1, ValueKind.SmallIntegers, n), 2.0).ToArray();
            double[] shifted = new double[n], mask = new double[n];
            Rectifiers.ShiftedRelu<double>(x, 2.0, shifted);
            Rectifiers.ShiftedReluMask<double>(x, 2.0, mask);
            int[] active = new int[n];
            int count = Threshold.CompressGreaterOrEqual<double>(x, 2.0, active);
            Assert.Equal(Enumerable.Range(0, n).Where(i => mask[i] == 1).ToArray(), active[..count]);
            for (int i = 0; i < n; i++)
            {
                Assert.True(mask[i] == 1 || mask[i] == 0);
                Assert.True(shifted[i] > 0 ? mask[i] == 1 : mask[i] == 0 ? shifted[i] == 0 || double.IsNaN(shifted[i]) : x[i] == 2.0,
                    $"ShiftedRelu {shifted[i]} and mask {mask[i]} disagree at x = {x[i]}");
            }
        }
    }

    [Fact]
    public void Rectifiers_do_not_allocate()
    {
        double[] x = SampleData.Vector<double>(300, ValueKind.Uniform, 4).ToArray();
        double[] destination = new double[300];
        long allocated = Allocation.Measure(() =>
        {
            Rectifiers.Relu<double>(x, destination);
            Rectifiers.ShiftedRelu<double>(x, 0.25, destination);
            Rectifiers.ShiftedReluMask<double>(x, 0.25, destination);
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Non_finite_bias_short_or_overlapping_destinations_throw_before_writing()
    {
        float[] buffer = SampleData.Vector<float>(64, ValueKind.Uniform, 9).ToArray();
        float[] snapshot = buffer.ToArray();
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            Assert.Equal("bias", Assert.Throws<ArgumentOutOfRangeException>(() => Rectifiers.ShiftedRelu<float>(buffer.AsSpan(0, 20), bad, buffer.AsSpan(30, 20))).ParamName);
            Assert.Equal("bias", Assert.Throws<ArgumentOutOfRangeException>(() => Rectifiers.ShiftedReluMask<float>(buffer.AsSpan(0, 20), bad, buffer.AsSpan(30, 20))).ParamName);
        }
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Rectifiers.Relu<float>(buffer.AsSpan(0, 20), buffer.AsSpan(30, 19))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Rectifiers.Relu<float>(buffer.AsSpan(0, 20), buffer.AsSpan(3, 20))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Rectifiers.ShiftedRelu<float>(buffer.AsSpan(10, 20), 0f, buffer.AsSpan(0, 20))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Rectifiers.ShiftedReluMask<float>(buffer.AsSpan(0, 40), 0f, buffer.AsSpan(20, 40))).ParamName);
        Assert.Equal(snapshot, buffer);
    }

    [Fact]
    public void ShiftedReluBackward_selects_the_gradient_where_the_mask_is_one()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            Check<float>(new VectorCase(n, n % 7, ValueKind.Uniform, n), 0.25f);
            Check<double>(new VectorCase(n, n % 3, ValueKind.SmallIntegers, n), 2.0);
        }

        static void Check<T>(VectorCase c, T bias) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T[] x = Salted(c, bias).ToArray();
            T[] dy = Salted(c with { Seed = c.Seed + 1 }, bias).ToArray();
            T[] mask = new T[x.Length];
            Rectifiers.ShiftedReluMask<T>(x, bias, mask);
            T sentinel = T.CreateChecked(-31);
            T[] dx = Enumerable.Repeat(sentinel, x.Length + 1).ToArray();
            Rectifiers.ShiftedReluBackward<T>(x, dy, bias, dx);
            T[] inPlace = (T[])dy.Clone();
            Rectifiers.ShiftedReluBackward<T>(x, inPlace, bias, inPlace);
            for (int i = 0; i < x.Length; i++)
            {
                T expected = mask[i] == T.One ? dy[i] : T.Zero;
                Tolerance.AssertIdentical(expected, dx[i], $"ShiftedReluBackward<{typeof(T).Name}>[{i}] of x = {x[i]}, dy = {dy[i]}, {c}");
                Tolerance.AssertIdentical(expected, inPlace[i], $"in-place ShiftedReluBackward<{typeof(T).Name}>[{i}], {c}");
            }
            Assert.Equal(sentinel, dx[^1]);
        }
    }

    [Fact]
    public void ShiftedReluBackward_rejects_bad_arguments_before_writing()
    {
        double[] x = new double[5], dy = new double[4], dx = [7, 7, 7, 7, 7];
        Assert.Throws<ArgumentException>("outputGradient", () => Rectifiers.ShiftedReluBackward<double>(x, dy, 0, dx));
        Assert.Throws<ArgumentException>("destination", () => Rectifiers.ShiftedReluBackward<double>(x, x, 0, dx.AsSpan(0, 4)));
        Assert.Throws<ArgumentOutOfRangeException>("bias", () => Rectifiers.ShiftedReluBackward<double>(x, x, double.NaN, dx));
        Assert.Throws<ArgumentOutOfRangeException>("bias", () => Rectifiers.ShiftedReluBackward<double>(x, x, double.NegativeInfinity, dx));
        Assert.All(dx, v => Assert.Equal(7.0, v));
    }
}
