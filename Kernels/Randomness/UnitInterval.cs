using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Kernels.Randomness;

/// <summary>
/// Exact conversions of random words to [0, 1): a float is the top 24 bits of a word times 2⁻²⁴, a double the top
/// 53 bits of a word pair times 2⁻⁵³. Every step is exact (small integers convert exactly, products by powers of two
/// and the final sum are representable), so all paths agree without any care about rounding.
/// </summary>
internal static class UnitInterval
{
    /// <summary>Spacing of the float grid, 2⁻²⁴; adding it maps [0, 1) onto (0, 1].</summary>
    public const float SingleStep = 1f / (1 << 24);

    /// <summary>Spacing of the double grid, 2⁻⁵³; adding it maps [0, 1) onto (0, 1].</summary>
    public const double DoubleStep = 1.0 / (1L << 53);

    private const double HighWordScale = 1.0 / (1L << 32);

    /// <summary>Bits of the double 2⁵²: OR-ing a 32-bit integer into its mantissa and subtracting 2⁵² converts it exactly.</summary>
    private const ulong TwoPow52Bits = 0x4330_0000_0000_0000;
    private const double TwoPow52 = 4503599627370496.0;

    /// <summary>(w ≫ 8) · 2⁻²⁴.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(uint w) => (int)(w >> 8) * SingleStep;

    /// <inheritdoc cref="ToSingle(uint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ToSingle(Vector256<uint> w) =>
        Vector256.ConvertToSingle(Vector256.ShiftRightLogical(w, 8).AsInt32()) * SingleStep;

    /// <inheritdoc cref="ToSingle(uint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ToSingle(Vector512<uint> w) =>
        Vector512.ConvertToSingle(Vector512.ShiftRightLogical(w, 8).AsInt32()) * SingleStep;

    /// <summary>((high · 2³² + low) ≫ 11) · 2⁻⁵³, computed as high · 2⁻³² + (low ≫ 11) · 2⁻⁵³.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble(uint low, uint high) => high * HighWordScale + (low >> 11) * DoubleStep;

    /// <summary>The conversion of <see cref="ToDouble(uint, uint)"/> for lanes 0–3 (<c>Lower</c>) and 4–7 (<c>Upper</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<double> Lower, Vector256<double> Upper) ToDouble(Vector256<uint> low, Vector256<uint> high)
    {
        Vector256<uint> lowTop = Vector256.ShiftRightLogical(low, 11);
        return (
            Exact(Vector256.WidenLower(high)) * HighWordScale + Exact(Vector256.WidenLower(lowTop)) * DoubleStep,
            Exact(Vector256.WidenUpper(high)) * HighWordScale + Exact(Vector256.WidenUpper(lowTop)) * DoubleStep);
    }

    /// <summary>The conversion of <see cref="ToDouble(uint, uint)"/> for lanes 0–7 (<c>Lower</c>) and 8–15 (<c>Upper</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<double> Lower, Vector512<double> Upper) ToDouble(Vector512<uint> low, Vector512<uint> high)
    {
        Vector512<uint> lowTop = Vector512.ShiftRightLogical(low, 11);
        return (
            Exact(Vector512.WidenLower(high)) * HighWordScale + Exact(Vector512.WidenLower(lowTop)) * DoubleStep,
            Exact(Vector512.WidenUpper(high)) * HighWordScale + Exact(Vector512.WidenUpper(lowTop)) * DoubleStep);
    }

    /// <summary>A zero-extended 32-bit integer as a double, exactly and without a 64-bit integer conversion (which AVX2 lacks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Exact(Vector256<ulong> value) => (value | Vector256.Create(TwoPow52Bits)).AsDouble() - Vector256.Create(TwoPow52);

    /// <inheritdoc cref="Exact(Vector256{ulong})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Exact(Vector512<ulong> value) => (value | Vector512.Create(TwoPow52Bits)).AsDouble() - Vector512.Create(TwoPow52);
}
