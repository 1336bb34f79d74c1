using System.Numerics;
using Kernels.Simd;

namespace Kernels.Blas;

/// <summary>
/// BLAS level 1: vector-vector kernels on spans, for <see cref="float"/> and <see cref="double"/>.
/// </summary>
/// <remarks>
/// <para>Arithmetic follows IEEE 754: a NaN or infinity in an input propagates to the result exactly as the
/// scalar formula says (for example <c>Axpy</c> with <c>alpha = 0</c> turns an infinite <c>x[i]</c> into NaN;
/// there is no BLAS-style early return).</para>
/// <para>Reductions use four vector accumulators and a fixed combine order, so they return the same bits on every
/// run for a given input and vector width; they may differ in the last bits from a sequential loop.</para>
/// <para>Outputs may alias an input exactly (in-place use); a partial overlap throws <see cref="ArgumentException"/>.</para>
/// </remarks>
public static class Level1
{
    /// <summary>Returns Σ x[i]·y[i], accumulated with fused multiply-add where available.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> differs in length from <paramref name="x"/>.</exception>
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        return AggregationDriver.Run(x, y, default(DotAccumulator<T>));
    }

    /// <summary>Computes y ← alpha·x + y.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> differs in length from <paramref name="x"/>, or partly overlaps it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    public static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.RequireFinite(alpha, nameof(alpha));
        AxpyAnyAlpha(alpha, x, y);
    }

    /// <summary>
    /// <see cref="Axpy"/> without the check on alpha, for the library's own loops whose alpha is computed from data
    /// (a Gemv column weight alpha·x[i], a triangular-solve pivot): a NaN or infinity there must propagate, not throw.
    /// </summary>
    internal static void AxpyAnyAlpha<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireLength(y.Length, x.Length, nameof(y), "the length of x");
        BinaryDriver.Run(x, y, y, new AxpyOperator<T>(alpha));
    }

    /// <summary>Computes x ← alpha·x in place.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    public static void Scale<T>(T alpha, Span<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireFinite(alpha, nameof(alpha));
        UnaryDriver.Run(x, x, new ScaleOperator<T>(alpha));
    }

    /// <summary>Writes alpha·x[i] to destination[i].</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>, or partly overlaps it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    public static void Scale<T>(T alpha, ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireFinite(alpha, nameof(alpha));
        UnaryDriver.Run(x, destination, new ScaleOperator<T>(alpha));
    }

    /// <summary>Returns Σ x[i]; zero for an empty span.</summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        return AggregationDriver.Run(x, default(SumAccumulator<T>));
    }

    /// <summary>
    /// Returns the Euclidean norm √(Σ x[i]²) without intermediate overflow or harmful underflow.
    /// </summary>
    /// <remarks>
    /// One pass sums the squares directly; if that sum overflowed or fell so low that underflowed squares could
    /// matter, a second pass finds max |x[i]| and the sum is redone on x scaled by an exact power of two.
    /// Any NaN gives NaN; otherwise any infinity gives +∞; an empty span gives 0.
    /// </remarks>
    public static T Nrm2<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        T sumOfSquares = AggregationDriver.Run(x, default(SquaresAccumulator<T>));
        if (T.IsNaN(sumOfSquares))
        {
            return sumOfSquares;
        }
        if (T.IsFinite(sumOfSquares) && sumOfSquares >= SafeSumOfSquaresFloor<T>())
        {
            return T.Sqrt(sumOfSquares);
        }

        T largest = AggregationDriver.Run(x, default(MaxMagnitudeAccumulator<T>));
        if (T.IsNaN(largest) || T.IsInfinity(largest) || largest == T.Zero)
        {
            return largest;
        }
        // Multiply by an exact power of two that brings the largest magnitude near 1. For subnormal maxima the
        // ideal power would overflow; capping it at the largest finite power still lifts every value far from underflow.
        int maxExponent = typeof(T) == typeof(float) ? 127 : 1023;
        int shift = Math.Min(-T.ILogB(largest), maxExponent);
        T scaled = AggregationDriver.Run(x, new ScaledSquaresAccumulator<T>(T.ScaleB(T.One, shift)));
        return T.ScaleB(T.Sqrt(scaled), -shift);
    }

    /// <summary>
    /// Smallest sum of squares the unscaled pass may return. Each square that underflows loses at most the
    /// smallest subnormal, 2^-149 (float) or 2^-1074 (double); with at most 2^31 elements the loss is below
    /// 2^-118 or 2^-1043, which this floor keeps under one unit in the last place.
    /// </summary>
    private static T SafeSumOfSquaresFloor<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.ScaleB(T.One, -94) : T.ScaleB(T.One, -990);

    /// <summary>Returns max |x[i]| (BLAS <c>amax</c>): 0 for an empty span, NaN if any element is NaN, otherwise +∞ if any is infinite.</summary>
    public static T MaxMagnitude<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        return AggregationDriver.Run(x, default(MaxMagnitudeAccumulator<T>));
    }

    /// <summary>Returns the largest element under IEEE 754-2019 <c>maximum</c>: any NaN wins, and +0 &gt; −0.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty.</exception>
    public static T Max<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        if (x.IsEmpty)
        {
            throw new ArgumentException("x is empty; the maximum needs at least one element.", nameof(x));
        }
        return AggregationDriver.Run(x, default(MaxAccumulator<T>));
    }

    /// <summary>
    /// Returns the index of the first largest element; if any element is NaN, the index of the first NaN
    /// (as NumPy's <c>argmax</c>). −0 and +0 compare equal, so the first zero wins a tie between them.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty.</exception>
    public static int ArgMax<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = Max(x);
        // Max found a match, so the scan cannot return −1.
        return T.IsNaN(max) ? MaskScan.IndexOfFirst(x, default(NaNPredicate<T>)) : MaskScan.IndexOfFirst(x, new EqualPredicate<T>(max));
    }
}
