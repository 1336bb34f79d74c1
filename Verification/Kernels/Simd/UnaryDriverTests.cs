using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Simd;

/// <summary>
/// <see cref="UnaryDriver"/> with an operator written here (as a user would), against the operator's own scalar
/// <c>Invoke</c> applied in a plain loop: every length 0..300 and beyond, nothing written past the end, in place, and
/// the overlap rules.
/// </summary>
public sealed class UnaryDriverTests : VectorSweepTests
{
    /// <summary>x·x − 1 at every width: exact for small integers, so any lane or tail mistake shows.</summary>
    private readonly struct SquareMinusOne<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x) => x * x - T.One;
        public Vector128<T> Invoke(Vector128<T> x) => x * x - Vector128<T>.One;
        public Vector256<T> Invoke(Vector256<T> x) => x * x - Vector256<T>.One;
        public Vector512<T> Invoke(Vector512<T> x) => x * x - Vector512<T>.One;
    }

    protected override void Check<T>(VectorCase c)
    {
        T[] x = c.Values<T>(0).ToArray();
        int n = x.Length;
        var unary = new SquareMinusOne<T>();
        T[] d = new T[n + 1];
        d[n] = T.CreateChecked(77);
        UnaryDriver.Run<T, SquareMinusOne<T>>(x, d, unary);
        for (int i = 0; i < n; i++)
        {
            Tolerance.AssertIdentical(unary.Invoke(x[i]), d[i], $"unary[{i}] {c}");
        }
        Tolerance.AssertIdentical(T.CreateChecked(77), d[n], $"unary wrote past the end {c}");

        // In place: the destination is exactly the input.
        UnaryDriver.Run<T, SquareMinusOne<T>>(x, x, unary);
        Assert.True(d.AsSpan(0, n).SequenceEqual(x), $"in-place unary {c}");
    }

    [Fact]
    public void Rejects_short_destinations_and_partial_overlap()
    {
        float[] buffer = new float[64];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            UnaryDriver.Run<float, SquareMinusOne<float>>(buffer.AsSpan(0, 40), buffer.AsSpan(40, 20), default)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
            UnaryDriver.Run<float, SquareMinusOne<float>>(buffer.AsSpan(0, 40), buffer.AsSpan(3, 40), default)).ParamName);
        Assert.All(buffer, v => Assert.Equal(0f, v));
    }
}
