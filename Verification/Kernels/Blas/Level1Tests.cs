using System.Numerics;
using FsCheck;
using Kernels.Blas;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Blas;

/// <summary>Level-1 kernels against the exact references of <see cref="Reference"/>, for float and double.</summary>
public sealed class Level1Tests
{
    // ---- Dot ---------------------------------------------------------------------------------------------

    [Fact]
    public void Dot_matches_reference_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            CheckDot<float>(new VectorCase(n, n % 7, ValueKind.Uniform, n));
            CheckDot<double>(new VectorCase(n, n % 5, ValueKind.Uniform, n));
            CheckDot<float>(new VectorCase(n, 0, ValueKind.SmallIntegers, n));
            CheckDot<double>(new VectorCase(n, 3, ValueKind.SmallIntegers, n));
        }
    }

    [KernelProperty]
    public void Dot_matches_reference(VectorCase c)
    {
        CheckDot<float>(c);
        CheckDot<double>(c);
    }

    private static void CheckDot<T>(VectorCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> x = c.Values<T>(0).Span, y = c.Values<T>(1).Span;
        var (exact, magnitude) = Reference.Dot(x, y);
        T actual = Level1.Dot(x, y);
        // Small integers make every partial sum exact, so any order must give the exact answer: no slack at all.
        double growth = c.Kind == ValueKind.SmallIntegers ? 0 : x.Length + 2;
        Tolerance.AssertClose(actual, exact, magnitude, growth, $"Dot<{typeof(T).Name}> {c}");
    }

    [Fact]
    public void Dot_propagates_non_finite_values()
    {
        foreach (int n in new[] { 1, 5, 16, 37, 130 })
        {
            foreach (int at in new[] { 0, n / 2, n - 1 })
            {
                float[] x = SampleData.Vector<float>(n, ValueKind.Uniform, n).ToArray();
                float[] y = SampleData.Vector<float>(n, ValueKind.Uniform, n + 1).ToArray();
                x[at] = float.NaN;
                Assert.True(float.IsNaN(Level1.Dot<float>(x, y)), $"NaN at {at} of {n}");
                x[at] = float.PositiveInfinity;
                y[at] = 2;
                Assert.Equal(float.PositiveInfinity, Level1.Dot<float>(x, y));
                y[at] = 0; // ∞·0 is NaN under IEEE 754
                Assert.True(float.IsNaN(Level1.Dot<float>(x, y)));
            }
        }
    }

    [Fact]
    public void Dot_rejects_length_mismatch()
    {
        var ex = Assert.Throws<ArgumentException>(() => Level1.Dot<double>(new double[5], new double[4]));
        Assert.Equal("y", ex.ParamName);
    }

    // ---- Sum ---------------------------------------------------------------------------------------------

    [Fact]
    public void Sum_matches_reference_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            CheckSum<float>(new VectorCase(n, n % 3, ValueKind.Uniform, n));
            CheckSum<double>(new VectorCase(n, n % 4, ValueKind.Uniform, n));
            CheckSum<float>(new VectorCase(n, 1, ValueKind.SmallIntegers, n));
            CheckSum<double>(new VectorCase(n, 0, ValueKind.SmallIntegers, n));
        }
    }

    [KernelProperty]
    public void Sum_matches_reference(VectorCase c)
    {
        CheckSum<float>(c);
        CheckSum<double>(c);
    }

    private static void CheckSum<T>(VectorCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> x = c.Values<T>().Span;
        var (exact, magnitude) = Reference.Sum(x);
        double growth = c.Kind == ValueKind.SmallIntegers ? 0 : x.Length + 2;
        Tolerance.AssertClose(Level1.Sum(x), exact, magnitude, growth, $"Sum<{typeof(T).Name}> {c}");
    }

    [Fact]
    public void Sum_of_nothing_is_zero_and_infinities_follow_IEEE()
    {
        Assert.Equal(0f, Level1.Sum<float>([]));
        double[] x = new double[40];
        x[3] = double.PositiveInfinity;
        Assert.Equal(double.PositiveInfinity, Level1.Sum<double>(x));
        x[39] = double.NegativeInfinity;
        Assert.True(double.IsNaN(Level1.Sum<double>(x)));
    }

    // ---- Nrm2 --------------------------------------------------------------------------------------------

    [Fact]
    public void Nrm2_matches_reference_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            CheckNrm2<float>(new VectorCase(n, n % 9, ValueKind.Uniform, n));
            CheckNrm2<double>(new VectorCase(n, n % 2, ValueKind.WideRange, n));
        }
    }

    [KernelProperty]
    public void Nrm2_matches_reference(VectorCase c)
    {
        CheckNrm2<float>(c);
        CheckNrm2<double>(c);
    }

    private static void CheckNrm2<T>(VectorCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> x = c.Values<T>().Span;
        double exact = Reference.Nrm2(x);
        // Σx² of positive terms has relative error ≤ (n+1)ε; the square root halves it and adds one rounding.
        Tolerance.AssertClose(Level1.Nrm2(x), exact, exact, x.Length / 2.0 + 3, $"Nrm2<{typeof(T).Name}> {c}");
    }

    [Theory]
    [InlineData(1e30, 3)]      // squares overflow float
    [InlineData(1e-30, 3)]     // squares underflow float to zero
    [InlineData(1e-42, 70)]    // subnormal inputs
    [InlineData(3e38, 2)]      // the largest floats
    public void Nrm2_float_survives_overflow_and_underflow(double magnitude, int n)
    {
        float[] x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(magnitude * (i % 2 == 0 ? 1 : -0.5));
        }
        double exact = Reference.Nrm2<float>(x);
        Tolerance.AssertClose(Level1.Nrm2<float>(x), exact, exact, n + 3, $"Nrm2 of {n} values near {magnitude}");
    }

    [Theory]
    [InlineData(1e300, 40)]
    [InlineData(1e-300, 40)]
    [InlineData(4e-320, 19)]
    public void Nrm2_double_survives_overflow_and_underflow(double magnitude, int n)
    {
        double[] x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = magnitude * (1 + i % 3);
        }
        double exact = Reference.Nrm2<double>(x);
        Tolerance.AssertClose(Level1.Nrm2<double>(x), exact, exact, n + 3, $"Nrm2 of {n} values near {magnitude}");
    }

    [Fact]
    public void Nrm2_of_non_finite_input_follows_the_documented_rule()
    {
        float[] x = new float[33];
        Assert.Equal(0f, Level1.Nrm2<float>(x));
        x[7] = float.NegativeInfinity;
        Assert.Equal(float.PositiveInfinity, Level1.Nrm2<float>(x));
        x[20] = float.NaN;
        Assert.True(float.IsNaN(Level1.Nrm2<float>(x)));
    }

    // ---- Axpy and Scale ----------------------------------------------------------------------------------

    [Fact]
    public void Axpy_matches_reference_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            CheckAxpy<float>(new VectorCase(n, n % 11, ValueKind.Uniform, n), 0.75f);
            CheckAxpy<double>(new VectorCase(n, n % 6, ValueKind.Special, n), -1.5);
        }
    }

    [KernelProperty]
    public void Axpy_matches_reference(VectorCase c, NormalFloat alpha)
    {
        CheckAxpy(c, (float)alpha.Get);
        CheckAxpy(c, alpha.Get);
    }

    private static void CheckAxpy<T>(VectorCase c, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> x = c.Values<T>(0).Span;
        Span<T> y = c.Values<T>(1).Span;
        T[] before = y.ToArray();
        Level1.Axpy(alpha, x, y);
        double a = double.CreateChecked(alpha);
        for (int i = 0; i < x.Length; i++)
        {
            double xi = double.CreateChecked(x[i]), yi = double.CreateChecked(before[i]);
            double exact = Math.FusedMultiplyAdd(a, xi, yi);
            Tolerance.AssertClose(y[i], exact, Math.Abs(a * xi) + Math.Abs(yi), 2, $"Axpy<{typeof(T).Name}>[{i}] {c}");
        }
    }

    [KernelProperty]
    public void Scale_is_exactly_the_scalar_product(VectorCase c, NormalFloat alpha)
    {
        CheckScale(c, (float)alpha.Get);
        CheckScale(c, alpha.Get);
    }

    private static void CheckScale<T>(VectorCase c, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> x = c.Values<T>().Span;
        T[] original = x.ToArray();
        T[] outOfPlace = new T[x.Length + 2];
        Level1.Scale(alpha, x, outOfPlace);
        Level1.Scale(alpha, x);
        for (int i = 0; i < x.Length; i++)
        {
            Tolerance.AssertIdentical(alpha * original[i], x[i], $"in-place Scale[{i}] {c}");
            Tolerance.AssertIdentical(alpha * original[i], outOfPlace[i], $"Scale[{i}] {c}");
        }
        Assert.Equal(T.Zero, outOfPlace[x.Length]); // nothing written past the length of x
    }

    [Fact]
    public void Axpy_with_x_aliasing_y_doubles_correctly()
    {
        foreach (int n in new[] { 3, 16, 17, 100, 257 })
        {
            double[] y = SampleData.Vector<double>(n, ValueKind.SmallIntegers, n).ToArray();
            double[] expected = y.Select(v => 3 * v).ToArray();
            Level1.Axpy<double>(2, y, y);
            Assert.Equal(expected, y);
        }
    }

    [Fact]
    public void Partial_overlap_and_short_destinations_throw_before_writing()
    {
        float[] buffer = Enumerable.Range(0, 64).Select(i => (float)i).ToArray();
        float[] snapshot = buffer.ToArray();
        var overlap = Assert.Throws<ArgumentException>(() => Level1.Axpy<float>(1f, buffer.AsSpan(0, 40), buffer.AsSpan(1, 40)));
        Assert.Equal("destination", overlap.ParamName);
        var shortDestination = Assert.Throws<ArgumentException>(() => Level1.Scale<float>(2f, buffer.AsSpan(0, 40), buffer.AsSpan(40, 20)));
        Assert.Equal("destination", shortDestination.ParamName);
        var mismatch = Assert.Throws<ArgumentException>(() => Level1.Axpy<float>(1f, buffer.AsSpan(0, 10), buffer.AsSpan(20, 11)));
        Assert.Equal("y", mismatch.ParamName);
        Assert.Equal(snapshot, buffer);
    }

    // ---- MaxMagnitude ------------------------------------------------------------------------------------

    [Fact]
    public void MaxMagnitude_is_the_exact_largest_absolute_value_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            CheckMaxMagnitude<float>(new VectorCase(n, n % 7, ValueKind.Uniform, n));
            CheckMaxMagnitude<double>(new VectorCase(n, n % 5, ValueKind.Uniform, n));
        }
    }

    private static void CheckMaxMagnitude<T>(VectorCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> x = c.Values<T>(0).Span;
        T expected = T.Zero;
        foreach (T v in x)
        {
            expected = T.Max(expected, T.Abs(v));
        }
        Assert.Equal(expected, Level1.MaxMagnitude(x));
    }

    [Fact]
    public void MaxMagnitude_propagates_NaN_and_infinity()
    {
        foreach (int n in new[] { 1, 5, 16, 37, 130 })
        {
            foreach (int at in new[] { 0, n / 2, n - 1 })
            {
                float[] x = SampleData.Vector<float>(n, ValueKind.Uniform, n).ToArray();
                x[at] = float.NegativeInfinity;
                Assert.Equal(float.PositiveInfinity, Level1.MaxMagnitude<float>(x));
                x[n - 1 - at] = float.NaN;
                Assert.True(float.IsNaN(Level1.MaxMagnitude<float>(x)), $"n {n}, NaN at {n - 1 - at}");
            }
        }
    }

    // ---- Max and ArgMax ----------------------------------------------------------------------------------

    [Fact]
    public void Max_and_ArgMax_match_a_scalar_scan_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths().Where(n => n > 0))
        {
            CheckMax<float>(new VectorCase(n, n % 5, ValueKind.Special, n));
            CheckMax<double>(new VectorCase(n, n % 3, ValueKind.SmallIntegers, n));
        }
    }

    [KernelProperty]
    public void Max_and_ArgMax_match_a_scalar_scan(VectorCase c)
    {
        if (c.Length == 0)
        {
            return;
        }
        CheckMax<float>(c);
        CheckMax<double>(c);
    }

    private static void CheckMax<T>(VectorCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> x = c.Values<T>().Span;
        T max = x[0];
        foreach (T v in x)
        {
            max = T.Max(max, v);
        }
        int first = -1;
        for (int i = 0; i < x.Length && first < 0; i++)
        {
            if (T.IsNaN(max) ? T.IsNaN(x[i]) : x[i] == max)
            {
                first = i;
            }
        }
        Tolerance.AssertIdentical(max, Level1.Max(x), $"Max<{typeof(T).Name}> {c}");
        Assert.Equal(first, Level1.ArgMax(x));
    }

    [Fact]
    public void ArgMax_reports_the_first_NaN_and_the_first_of_tied_maxima()
    {
        foreach (int n in new[] { 2, 9, 16, 17, 64, 300 })
        {
            double[] x = new double[n];
            x[n - 1] = 5;
            x[n / 2] = 5;
            Assert.Equal(n / 2, Level1.ArgMax<double>(x));
            x[n - 1] = double.NaN;
            Assert.Equal(n - 1, Level1.ArgMax<double>(x));
            Assert.True(double.IsNaN(Level1.Max<double>(x)));
        }
        Assert.Equal(0, Level1.ArgMax<float>([-0f, 0f]));
        Assert.True(float.IsPositive(Level1.Max<float>([-0f, 0f])));
    }

    [Fact]
    public void Max_of_empty_input_throws()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Level1.Max<float>([])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Level1.ArgMax<double>([])).ParamName);
    }
}
