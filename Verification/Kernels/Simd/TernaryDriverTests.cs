using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Simd;

/// <summary>
/// <see cref="TernaryDriver"/> with an operator that carries a parameter, against its scalar <c>Invoke</c> in a plain
/// loop: every length 0..300 and beyond, and mismatched lengths.
/// </summary>
public sealed class TernaryDriverTests : VectorSweepTests
{
    /// <summary>x·y + z with a parameter carried by the struct.</summary>
    private readonly struct ScaledProductPlus<T>(T scale) : ITernaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Invoke(T x, T y, T z) => scale * x * y + z;
        public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> z) => x * scale * y + z;
        public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> z) => x * scale * y + z;
        public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> z) => x * scale * y + z;
    }

    protected override void Check<T>(VectorCase c)
    {
        T[] x = c.Values<T>(0).ToArray(), y = c.Values<T>(1).ToArray(), z = c.Values<T>(2).ToArray();
        int n = x.Length;
        var ternary = new ScaledProductPlus<T>(T.CreateChecked(3));
        T[] d = new T[n + 1];
        d[n] = T.CreateChecked(77);
        TernaryDriver.Run<T, ScaledProductPlus<T>>(x, y, z, d, ternary);
        for (int i = 0; i < n; i++)
        {
            Tolerance.AssertIdentical(ternary.Invoke(x[i], y[i], z[i]), d[i], $"ternary[{i}] {c}");
        }
        Tolerance.AssertIdentical(T.CreateChecked(77), d[n], $"ternary wrote past the end {c}");
    }

    [Fact]
    public void Rejects_mismatched_lengths()
    {
        Assert.Equal("z", Assert.Throws<ArgumentException>(() =>
            TernaryDriver.Run<float, ScaledProductPlus<float>>(new float[5], new float[5], new float[4], new float[5], new(1f))).ParamName);
    }
}
