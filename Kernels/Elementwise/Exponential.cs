using System.Numerics;
using Kernels.Simd;

namespace Kernels.Elementwise;

/// <summary>The exponential function on spans, for <see cref="float"/> and <see cref="double"/>.</summary>
public static class Exponential
{
    /// <summary>
    /// Writes e^x[i] to destination[i], within a few ulps of the exact value over the whole range, subnormal results
    /// included. The result is +∞ exactly where eˣ exceeds the largest finite value (x above about 709.78 for double,
    /// 88.72 for float) and 0 where it is below half the smallest subnormal; NaN stays NaN, e^(+∞) = +∞, e^(−∞) = 0.
    /// The scalar and every vector path compute the same bits (one algorithm, written per width; see the remarks of
    /// the internal <c>ExpApproximation</c>).
    /// </summary>
    /// <remarks>The destination may be the input itself (in place); a partial overlap throws.</remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>, or partly overlaps it.</exception>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        UnaryDriver.Run(x, destination, default(ExpOperator<T>));
    }
}
