using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Simd;

/// <summary>
/// <see cref="BinaryDriver"/> with an operator written here, against its scalar <c>Invoke</c> in a plain loop: every
/// length 0..300 and beyond, out of place (nothing written past the end) and in place.
/// </summary>
public sealed class BinaryDriverTests : VectorSweepTests
{
    /// <summary>2x − y.</summary>
    private readonly struct TwiceMinus<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x, T y) => x + x - y;
        public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => x + x - y;
        public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x + x - y;
        public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => x + x - y;
    }

    protected override void Check<T>(VectorCase c)
    {
        T[] x = c.Values<T>(0).ToArray(), y = c.Values<T>(1).ToArray();
        int n = x.Length;
        var binary = new TwiceMinus<T>();
        T[] d = new T[n + 1];
        d[n] = T.CreateChecked(77);
        BinaryDriver.Run<T, TwiceMinus<T>>(x, y, d, binary);
        for (int i = 0; i < n; i++)
        {
            Tolerance.AssertIdentical(binary.Invoke(x[i], y[i]), d[i], $"binary[{i}] {c}");
        }
        Tolerance.AssertIdentical(T.CreateChecked(77), d[n], $"binary wrote past the end {c}");

        // In place: the destination is exactly the first input.
        T[] inPlace = x.ToArray();
        BinaryDriver.Run<T, TwiceMinus<T>>(inPlace, y, inPlace, binary);
        for (int i = 0; i < n; i++)
        {
            Tolerance.AssertIdentical(binary.Invoke(x[i], y[i]), inPlace[i], $"in-place binary[{i}] {c}");
        }
    }
}
