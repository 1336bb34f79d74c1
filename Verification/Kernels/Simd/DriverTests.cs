using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Simd;

/// <summary>
/// The public drivers with operators written here (as a user would), against the operators' own scalar
/// <c>Invoke</c> applied in a plain loop: every length 0..300 and beyond, in place, and overlap rules.
/// </summary>
public sealed class DriverTests
{
    /// <summary>x·x − 1 at every width: exact for small integers, so any lane or tail mistake shows.</summary>
    private readonly struct SquareMinusOne<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x) => x * x - T.One;
        public Vector128<T> Invoke(Vector128<T> x) => x * x - Vector128<T>.One;
        public Vector256<T> Invoke(Vector256<T> x) => x * x - Vector256<T>.One;
        public Vector512<T> Invoke(Vector512<T> x) => x * x - Vector512<T>.One;
    }

    /// <summary>2x − y.</summary>
    private readonly struct TwiceMinus<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x, T y) => x + x - y;
        public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => x + x - y;
        public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x + x - y;
        public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => x + x - y;
    }

    /// <summary>x·y + z with a parameter carried by the struct.</summary>
    private readonly struct ScaledProductPlus<T>(T scale) : ITernaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x, T y, T z) => scale * x * y + z;
        public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> z) => x * scale * y + z;
        public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> z) => x * scale * y + z;
        public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> z) => x * scale * y + z;
    }

    /// <summary>Minimum, a non-additive reduction.</summary>
    private readonly struct MinAccumulator<T> : IUnaryAccumulator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Identity => T.PositiveInfinity;
        public T Accumulate(T a, T x) => T.Min(a, x);
        public Vector128<T> Accumulate(Vector128<T> a, Vector128<T> x) => Vector128.Min(a, x);
        public Vector256<T> Accumulate(Vector256<T> a, Vector256<T> x) => Vector256.Min(a, x);
        public Vector512<T> Accumulate(Vector512<T> a, Vector512<T> x) => Vector512.Min(a, x);
        public T Combine(T a, T b) => T.Min(a, b);
        public Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => Vector128.Min(a, b);
        public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => Vector256.Min(a, b);
        public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => Vector512.Min(a, b);
    }

    /// <summary>Σ |x − y|, exact on small integers.</summary>
    private readonly struct AbsoluteDifference<T> : IBinaryAccumulator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Identity => T.Zero;
        public T Accumulate(T a, T x, T y) => a + T.Abs(x - y);
        public Vector128<T> Accumulate(Vector128<T> a, Vector128<T> x, Vector128<T> y) => a + Vector128.Abs(x - y);
        public Vector256<T> Accumulate(Vector256<T> a, Vector256<T> x, Vector256<T> y) => a + Vector256.Abs(x - y);
        public Vector512<T> Accumulate(Vector512<T> a, Vector512<T> x, Vector512<T> y) => a + Vector512.Abs(x - y);
        public T Combine(T a, T b) => a + b;
        public Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => a + b;
        public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;
        public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
    }

    [Fact]
    public void Every_driver_matches_a_scalar_loop_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            Check<float>(new VectorCase(n, n % 13, ValueKind.SmallIntegers, n));
            Check<double>(new VectorCase(n, n % 7, ValueKind.SmallIntegers, n + 1));
        }
    }

    [KernelProperty]
    public void Every_driver_matches_a_scalar_loop(VectorCase c)
    {
        Check<float>(c);
        Check<double>(c);
    }

    private static void Check<T>(VectorCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = c.Values<T>(0).ToArray(), y = c.Values<T>(1).ToArray(), z = c.Values<T>(2).ToArray();
        int n = x.Length;
        var unary = new SquareMinusOne<T>();
        var binary = new TwiceMinus<T>();
        var ternary = new ScaledProductPlus<T>(T.CreateChecked(3));
        var min = new MinAccumulator<T>();
        var distance = new AbsoluteDifference<T>();

        T[] d = new T[n + 1];
        d[n] = T.CreateChecked(77);
        UnaryDriver.Run<T, SquareMinusOne<T>>(x, d, unary);
        for (int i = 0; i < n; i++)
        {
            Tolerance.AssertIdentical(unary.Invoke(x[i]), d[i], $"unary[{i}] {c}");
        }
        Tolerance.AssertIdentical(T.CreateChecked(77), d[n], $"unary wrote past the end {c}");
        BinaryDriver.Run<T, TwiceMinus<T>>(x, y, d, binary);
        TernaryDriver.Run<T, ScaledProductPlus<T>>(x, y, z, d, ternary);
        for (int i = 0; i < n; i++)
        {
            Tolerance.AssertIdentical(ternary.Invoke(x[i], y[i], z[i]), d[i], $"ternary[{i}] {c}");
        }

        // In place: the destination is exactly the first input.
        T[] inPlace = x.ToArray();
        BinaryDriver.Run<T, TwiceMinus<T>>(inPlace, y, inPlace, binary);
        for (int i = 0; i < n; i++)
        {
            Tolerance.AssertIdentical(binary.Invoke(x[i], y[i]), inPlace[i], $"in-place binary[{i}] {c}");
        }

        T expectedMin = min.Identity, expectedDistance = distance.Identity;
        for (int i = 0; i < n; i++)
        {
            expectedMin = min.Accumulate(expectedMin, x[i]);
            expectedDistance = distance.Accumulate(expectedDistance, x[i], y[i]);
        }
        Tolerance.AssertIdentical(expectedMin, AggregationDriver.Run<T, MinAccumulator<T>>(x, min), $"min {c}");
        T actualDistance = AggregationDriver.Run<T, AbsoluteDifference<T>>(x, y, distance);
        if (c.Kind == ValueKind.SmallIntegers)
        {
            // Integer sums are exact in any order, so the driver's order must give the very same bits.
            Tolerance.AssertIdentical(expectedDistance, actualDistance, $"distance {c}");
        }
        else
        {
            double exact = 0;
            for (int i = 0; i < n; i++)
            {
                exact += Math.Abs(double.CreateChecked(x[i]) - double.CreateChecked(y[i]));
            }
            Tolerance.AssertClose(actualDistance, exact, exact, 2 * n + 2, $"distance {c}");
        }
    }

    [Fact]
    public void Drivers_reject_short_destinations_mismatched_lengths_and_partial_overlap()
    {
        float[] buffer = new float[64];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            UnaryDriver.Run<float, SquareMinusOne<float>>(buffer.AsSpan(0, 40), buffer.AsSpan(40, 20), default)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            UnaryDriver.Run<float, SquareMinusOne<float>>(buffer.AsSpan(0, 40), buffer.AsSpan(3, 40), default)).ParamName);
        Assert.Equal("z", Assert.Throws<ArgumentException>(() =>
            TernaryDriver.Run<float, ScaledProductPlus<float>>(new float[5], new float[5], new float[4], new float[5], new(1f))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() =>
            AggregationDriver.Run<float, AbsoluteDifference<float>>(new float[5], new float[6], default)).ParamName);
        Assert.All(buffer, v => Assert.Equal(0f, v));
    }
}
