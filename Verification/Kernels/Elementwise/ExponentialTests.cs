using System.Numerics;
using Kernels.Elementwise;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Elementwise;

/// <summary>
/// <see cref="Exponential.Exp{T}"/> against <see cref="Math.Exp"/> (correctly rounded to float for the float path) over
/// the whole range: normal results, subnormal results, the overflow and underflow thresholds, and the special values.
/// The error is measured in ulps of the reference (for a subnormal reference, in units of the smallest subnormal).
/// </summary>
public sealed class ExponentialTests
{
    /// <summary>Allowed error: the approximation is within about 1.5 ulp, and the reference itself within 0.5 ulp.</summary>
    private const double MaxUlps = 3;

    [Fact]
    public void Double_exp_is_within_a_few_ulps_over_the_whole_range()
    {
        var random = new System.Random(11);
        // Uniform over [−750, 712], which covers underflow to 0, subnormal results, normal results and overflow.
        double[] x = new double[200_003];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = -750 + 1462 * random.NextDouble();
        }
        CheckAgainstReference(x, Math.Exp);
        // Dense sweeps near the thresholds: the largest finite result and the subnormal range.
        CheckAgainstReference(Sweep(709.7, 709.8, 50_001), Math.Exp);
        CheckAgainstReference(Sweep(-745.2, -708, 50_001), Math.Exp);
        CheckAgainstReference(Sweep(-1e-3, 1e-3, 10_001), Math.Exp);
    }

    [Fact]
    public void Float_exp_is_within_a_few_ulps_over_the_whole_range()
    {
        var random = new System.Random(12);
        float[] x = new float[200_003];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(-106 + 196 * random.NextDouble());
        }
        CheckAgainstReference(x, v => (float)Math.Exp(v));
        // Every float near the overflow threshold and every 97th in the subnormal range.
        CheckAgainstReference(EveryFloat(88.6f, 88.8f, 1), v => (float)Math.Exp(v));
        CheckAgainstReference(EveryFloat(-104f, -87.3f, 97), v => (float)Math.Exp(v));
    }

    [Fact]
    public void Overflow_gives_infinity_exactly_where_the_result_exceeds_the_largest_finite_value()
    {
        double last = Math.Log(double.MaxValue);
        double[] x = [double.BitDecrement(last), last, double.BitIncrement(last), 709.79, 710, 711, 1e300, double.MaxValue];
        double[] y = new double[x.Length];
        Exponential.Exp<double>(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(double.IsInfinity(Math.Exp(x[i])), double.IsInfinity(y[i]));
        }
        Assert.True(double.IsFinite(y[1]));
    }

    [Fact]
    public void Special_values_follow_ieee()
    {
        foreach (int n in new[] { 1, 3, 8, 17, 64, 129 })
        {
            double[] x = new double[n];
            float[] xf = new float[n];
            double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0, -0.0, double.Epsilon, -double.MaxValue];
            for (int i = 0; i < n; i++)
            {
                x[i] = specials[i % specials.Length];
                xf[i] = (float)x[i];
            }
            double[] y = new double[n];
            float[] yf = new float[n];
            Exponential.Exp<double>(x, y);
            Exponential.Exp<float>(xf, yf);
            for (int i = 0; i < n; i++)
            {
                Tolerance.AssertIdentical(Math.Exp(x[i]), y[i], $"exp({x[i]})");
                Tolerance.AssertIdentical((float)Math.Exp(xf[i]), yf[i], $"exp((float){xf[i]})");
            }
        }
    }

    [Fact]
    public void Every_length_and_alignment_matches_the_scalar_path_and_works_in_place()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            Check<float>(new VectorCase(n, n % 5, ValueKind.Uniform, n));
            Check<double>(new VectorCase(n, n % 3, ValueKind.Special, n));
        }

        static void Check<T>(VectorCase c) where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> x = c.Values<T>().Span;
            for (int i = 0; i < x.Length; i++)
            {
                x[i] *= T.CreateChecked(40);
            }
            T[] original = x.ToArray();
            T sentinel = T.CreateChecked(-31);
            T[] y = Enumerable.Repeat(sentinel, x.Length + 1).ToArray();
            Exponential.Exp<T>(x, y);
            Exponential.Exp(x, x);
            for (int i = 0; i < original.Length; i++)
            {
                // The one-element call takes the scalar path; every path computes the same bits.
                T[] single = new T[1];
                Exponential.Exp<T>(original.AsSpan(i, 1), single);
                Tolerance.AssertIdentical(single[0], y[i], $"exp<{typeof(T).Name}>[{i}] of {original[i]}, {c}");
                Tolerance.AssertIdentical(y[i], x[i], $"in-place exp<{typeof(T).Name}>[{i}], {c}");
            }
            Assert.Equal(sentinel, y[^1]);
        }
    }

    [Fact]
    public void Bad_arguments_throw_before_writing()
    {
        double[] x = new double[8], y = new double[7];
        Assert.Throws<ArgumentException>("destination", () => Exponential.Exp<double>(x, y));
        double[] buffer = new double[16];
        Assert.Throws<ArgumentException>("destination", () => Exponential.Exp<double>(buffer.AsSpan(0, 8), buffer.AsSpan(2, 8)));
        Assert.Throws<NotSupportedException>(() => Exponential.Exp<Half>(new Half[2], new Half[2]));
    }

    private static double[] Sweep(double from, double to, int count) =>
        Enumerable.Range(0, count).Select(i => from + (to - from) * i / (count - 1)).ToArray();

    private static float[] EveryFloat(float from, float to, int step)
    {
        var values = new List<float>();
        for (float v = from; v <= to; v = Step(v, step))
        {
            values.Add(v);
        }
        return values.ToArray();

        static float Step(float v, int step)
        {
            for (int i = 0; i < step; i++)
            {
                v = float.BitIncrement(v);
            }
            return v;
        }
    }

    private static void CheckAgainstReference<T>(T[] x, Func<T, T> reference) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] y = new T[x.Length];
        Exponential.Exp<T>(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            T expected = reference(x[i]);
            if (!T.IsFinite(expected))
            {
                Tolerance.AssertIdentical(expected, y[i], $"exp<{typeof(T).Name}>({x[i]:R})");
                continue;
            }
            Assert.True(T.IsFinite(y[i]), $"exp<{typeof(T).Name}>({x[i]:R}) = {y[i]}, expected the finite {expected:R}");
            double ulp = double.CreateChecked(T.BitIncrement(T.Abs(expected)) - T.Abs(expected));
            double error = Math.Abs(double.CreateChecked(y[i]) - double.CreateChecked(expected)) / ulp;
            Assert.True(error <= MaxUlps, $"exp<{typeof(T).Name}>({x[i]:R}) = {y[i]:R}, reference {expected:R}: {error:F2} ulps");
        }
    }
}
