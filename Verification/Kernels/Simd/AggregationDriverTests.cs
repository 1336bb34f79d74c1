using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Simd;

/// <summary>
/// <see cref="AggregationDriver"/> with accumulators written here, against their scalar <c>Accumulate</c> in a plain
/// loop: a non-additive reduction (minimum) exactly, a sum exactly on small integers and within the summation bound
/// otherwise; every length 0..300 and beyond, and mismatched lengths.
/// </summary>
public sealed class AggregationDriverTests : VectorSweepTests
{
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

    protected override void Check<T>(VectorCase c)
    {
        T[] x = c.Values<T>(0).ToArray(), y = c.Values<T>(1).ToArray();
        int n = x.Length;
        var min = new MinAccumulator<T>();
        var distance = new AbsoluteDifference<T>();
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
    public void Rejects_mismatched_lengths()
    {
        Assert.Equal("y", Assert.Throws<ArgumentException>(() =>
            AggregationDriver.Run<float, AbsoluteDifference<float>>(new float[5], new float[6], default)).ParamName);
    }
}
