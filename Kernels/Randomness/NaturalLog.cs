using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Randomness;

/// <summary>
/// Natural logarithm of positive normal numbers, written once per width with the same operations in the same order,
/// so that a scalar and a vector lane return the same bits (Math.Log and vector log approximations would not).
/// </summary>
/// <remarks>
/// <para>Range reduction: x = 2ᵉ·m with m in [√½, √2), found with integer arithmetic on the bits (adding
/// <c>1.0 − √½</c> to the bit pattern carries into the exponent exactly when the mantissa is at least √2). With
/// f = m − 1 (exact) and s = f / (2 + f), ln(1 + f) = 2·atanh(s) = 2s + s·R(s²), where R(z) = 2(z/3 + z²/5 + …).</para>
/// <para>The sum is arranged as f − (f²/2 − s·(f²/2 + R)), which keeps the rounding error of s away from the leading
/// term, and e·ln 2 is added in two parts (ln 2 high has trailing zeros, so e·high is exact).</para>
/// <para>R(z)/z is a Chebyshev fit on [0, (3 − 2√2)²] (mpmath <c>chebyfit</c>, 3 coefficients for float, 7 for double);
/// its weighted error z·|ΔR/z|/2 is below 3·10⁻⁹ (float) and 5·10⁻¹⁸ (double), a small fraction of an ulp. Overall error
/// is below one ulp; the tests measure it. Only +, −, × and ÷ are used (multiply-adds through <see cref="Unfused"/>,
/// never fused), each correctly rounded by IEEE 754 in every lane, so results are the same on every machine.</para>
/// <para>Zero, negative, subnormal and non-finite arguments are outside the domain; the generators never pass them.</para>
/// </remarks>
internal static class NaturalLog
{
    private const uint SingleOneBits = 0x3F80_0000;
    private const uint SingleSqrtHalfBits = 0x3F35_04F3;
    private const uint SingleMantissaMask = 0x007F_FFFF;
    private const float SingleLn2High = 0.69314575f; // 16 significant bits: e·high is exact for |e| < 2⁸.
    private const float SingleLn2Low = 1.4286068e-06f;
    private const float SingleR1 = 0.66666687f, SingleR2 = 0.3998878f, SingleR3 = 0.2957995f;

    private const ulong DoubleOneBits = 0x3FF0_0000_0000_0000;
    private const ulong DoubleSqrtHalfBits = 0x3FE6_A09E_667F_3BCD;
    private const ulong DoubleMantissaMask = 0x000F_FFFF_FFFF_FFFF;
    private const double DoubleLn2High = 0.6931471805598903; // 42 significant bits: e·high is exact for |e| < 2¹¹.
    private const double DoubleLn2Low = 5.497923018708371e-14;
    private const double DoubleR1 = 0.666666666666667, DoubleR2 = 0.39999999999899505, DoubleR3 = 0.28571428625975487,
        DoubleR4 = 0.2222221113479508, DoubleR5 = 0.18182889125261723, DoubleR6 = 0.15331721600556042, DoubleR7 = 0.14616449685043406;

    /// <summary>Bits of 2⁵² + e for 0 ≤ e &lt; 2⁵²: converts a biased exponent to double exactly, without 64-bit integer conversion.</summary>
    private const ulong TwoPow52Bits = 0x4330_0000_0000_0000;
    private const double TwoPow52PlusBias = 4503599627370496.0 + 1023;

    /// <summary>ln x for a positive normal float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log(float x)
    {
        uint adjusted = BitConverter.SingleToUInt32Bits(x) + (SingleOneBits - SingleSqrtHalfBits);
        float exponent = (int)(adjusted >> 23) - 127;
        float f = BitConverter.UInt32BitsToSingle((adjusted & SingleMantissaMask) + SingleSqrtHalfBits) - 1f;
        float s = f / (2f + f);
        float z = s * s;
        float r = z * Unfused.MultiplyAdd(Unfused.MultiplyAdd(z, SingleR3, SingleR2), z, SingleR1);
        float halfSquare = 0.5f * f * f;
        return exponent * SingleLn2High - ((halfSquare - Unfused.MultiplyAdd(s, halfSquare + r, exponent * SingleLn2Low)) - f);
    }

    /// <inheritdoc cref="Log(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        Vector256<uint> adjusted = x.AsUInt32() + Vector256.Create(SingleOneBits - SingleSqrtHalfBits);
        Vector256<float> exponent = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(adjusted, 23).AsInt32() - Vector256.Create(127));
        Vector256<float> f = ((adjusted & Vector256.Create(SingleMantissaMask)) + Vector256.Create(SingleSqrtHalfBits)).AsSingle() - Vector256.Create(1f);
        Vector256<float> s = f / (Vector256.Create(2f) + f);
        Vector256<float> z = s * s;
        Vector256<float> r = z * Unfused.MultiplyAdd(Unfused.MultiplyAdd(z, Vector256.Create(SingleR3), Vector256.Create(SingleR2)), z, Vector256.Create(SingleR1));
        Vector256<float> halfSquare = Vector256.Create(0.5f) * f * f;
        return exponent * SingleLn2High - ((halfSquare - Unfused.MultiplyAdd(s, halfSquare + r, exponent * SingleLn2Low)) - f);
    }

    /// <inheritdoc cref="Log(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        Vector512<uint> adjusted = x.AsUInt32() + Vector512.Create(SingleOneBits - SingleSqrtHalfBits);
        Vector512<float> exponent = Vector512.ConvertToSingle(Vector512.ShiftRightLogical(adjusted, 23).AsInt32() - Vector512.Create(127));
        Vector512<float> f = ((adjusted & Vector512.Create(SingleMantissaMask)) + Vector512.Create(SingleSqrtHalfBits)).AsSingle() - Vector512.Create(1f);
        Vector512<float> s = f / (Vector512.Create(2f) + f);
        Vector512<float> z = s * s;
        Vector512<float> r = z * Unfused.MultiplyAdd(Unfused.MultiplyAdd(z, Vector512.Create(SingleR3), Vector512.Create(SingleR2)), z, Vector512.Create(SingleR1));
        Vector512<float> halfSquare = Vector512.Create(0.5f) * f * f;
        return exponent * SingleLn2High - ((halfSquare - Unfused.MultiplyAdd(s, halfSquare + r, exponent * SingleLn2Low)) - f);
    }

    /// <summary>ln x for a positive normal double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double x)
    {
        ulong adjusted = BitConverter.DoubleToUInt64Bits(x) + (DoubleOneBits - DoubleSqrtHalfBits);
        double exponent = (long)(adjusted >> 52) - 1023;
        double f = BitConverter.UInt64BitsToDouble((adjusted & DoubleMantissaMask) + DoubleSqrtHalfBits) - 1.0;
        double s = f / (2.0 + f);
        double z = s * s;
        double r = z * DoubleSeries(z);
        double halfSquare = 0.5 * f * f;
        return exponent * DoubleLn2High - ((halfSquare - Unfused.MultiplyAdd(s, halfSquare + r, exponent * DoubleLn2Low)) - f);
    }

    /// <inheritdoc cref="Log(double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log(Vector256<double> x)
    {
        Vector256<ulong> adjusted = x.AsUInt64() + Vector256.Create(DoubleOneBits - DoubleSqrtHalfBits);
        Vector256<double> exponent = (Vector256.ShiftRightLogical(adjusted, 52) | Vector256.Create(TwoPow52Bits)).AsDouble() - Vector256.Create(TwoPow52PlusBias);
        Vector256<double> f = ((adjusted & Vector256.Create(DoubleMantissaMask)) + Vector256.Create(DoubleSqrtHalfBits)).AsDouble() - Vector256.Create(1.0);
        Vector256<double> s = f / (Vector256.Create(2.0) + f);
        Vector256<double> z = s * s;
        Vector256<double> r = z * DoubleSeries(z);
        Vector256<double> halfSquare = Vector256.Create(0.5) * f * f;
        return exponent * DoubleLn2High - ((halfSquare - Unfused.MultiplyAdd(s, halfSquare + r, exponent * DoubleLn2Low)) - f);
    }

    /// <inheritdoc cref="Log(double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log(Vector512<double> x)
    {
        Vector512<ulong> adjusted = x.AsUInt64() + Vector512.Create(DoubleOneBits - DoubleSqrtHalfBits);
        Vector512<double> exponent = (Vector512.ShiftRightLogical(adjusted, 52) | Vector512.Create(TwoPow52Bits)).AsDouble() - Vector512.Create(TwoPow52PlusBias);
        Vector512<double> f = ((adjusted & Vector512.Create(DoubleMantissaMask)) + Vector512.Create(DoubleSqrtHalfBits)).AsDouble() - Vector512.Create(1.0);
        Vector512<double> s = f / (Vector512.Create(2.0) + f);
        Vector512<double> z = s * s;
        Vector512<double> r = z * DoubleSeries(z);
        Vector512<double> halfSquare = Vector512.Create(0.5) * f * f;
        return exponent * DoubleLn2High - ((halfSquare - Unfused.MultiplyAdd(s, halfSquare + r, exponent * DoubleLn2Low)) - f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double DoubleSeries(double z) =>
        Unfused.Polynomial(z, DoubleR1, DoubleR2, DoubleR3, DoubleR4, DoubleR5, DoubleR6, DoubleR7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> DoubleSeries(Vector256<double> z) =>
        Unfused.Polynomial(z, DoubleR1, DoubleR2, DoubleR3, DoubleR4, DoubleR5, DoubleR6, DoubleR7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> DoubleSeries(Vector512<double> z) =>
        Unfused.Polynomial(z, DoubleR1, DoubleR2, DoubleR3, DoubleR4, DoubleR5, DoubleR6, DoubleR7);
}
