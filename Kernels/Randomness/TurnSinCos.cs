using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Randomness;

/// <summary>
/// Sine and cosine of 2π·u for u in [0, 1) (u in turns), written once per width with the same operations in the
/// same order, so that a scalar and a vector lane return the same bits.
/// </summary>
/// <remarks>
/// <para>Range reduction is exact and needs no π: t = 4u (exact) is split as t = q + y with q = round(t) and
/// y in [−½, ½] (adding 1.5·2ᵖ, p the mantissa width, rounds t to an integer whose low bits are q mod 4, and y = t − q
/// is exact). Then 2πu = (π/2)(q + y), and sin, cos follow from S(y) = sin(πy/2) and C(y) = cos(πy/2) by the
/// quadrant: q = 0 → (S, C), 1 → (C, −S), 2 → (−S, −C), 3 → (−C, S).</para>
/// <para>S(y) = 1.5·y + y·P(y²) and C(y) = 1 + y²·Q(y²), with 1.5 + P and Q Chebyshev fits on y² in [0, ¼] (mpmath
/// <c>chebyfit</c>; 4 coefficients each for float, 7 for double; fit errors below 4·10⁻⁹ and 5·10⁻¹⁷ relative). Splitting
/// π/2 ≈ 1.5 + 0.0708 keeps the leading term exact: y is a multiple of 2⁻²² (float) or 2⁻⁵¹ (double) below ½ in
/// magnitude for the generator's u, so 1.5·y is representable, and the sine is rounded once at the end with or without
/// fused multiply-add (about 0.7 ulp, against 1.6 for y·P(y²) with π/2 rounded into P).</para>
/// </remarks>
internal static class TurnSinCos
{
    private const float SingleRoundingShift = 12582912f; // 1.5·2²³: its ulp is 1.
    private const float SingleS1 = 0.07079632f, SingleS2 = -0.6459635f, SingleS3 = 0.07968022f, SingleS4 = -0.004602149f;
    private const float SingleC1 = -1.2337005f, SingleC2 = 0.2536694f, SingleC3 = -0.020861529f, SingleC4 = 0.0009067399f;

    private const double DoubleRoundingShift = 6755399441055744.0; // 1.5·2⁵²: its ulp is 1.
    private const double DoubleS1 = 0.07079632679489661, DoubleS2 = -0.6459640975062443, DoubleS3 = 0.07969262624604301,
        DoubleS4 = -0.004681754132340976, DoubleS5 = 0.0001604411507421909, DoubleS6 = -3.59864335298231e-06, DoubleS7 = 5.633933781537854e-08;
    private const double DoubleC1 = -1.2337005501361697, DoubleC2 = 0.2536695079010478, DoubleC3 = -0.020863480763340773,
        DoubleC4 = 0.0009192602745468447, DoubleC5 = -2.5202039028029178e-05, DoubleC6 = 4.710678405505227e-07, DoubleC7 = -6.329396344967424e-09;

    /// <summary>sin 2πu and cos 2πu for a float <paramref name="turns"/> u in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Sin, float Cos) SinCos(float turns)
    {
        float t = turns * 4f;
        float shifted = t + SingleRoundingShift;
        uint quadrant = BitConverter.SingleToUInt32Bits(shifted);
        float y = t - (shifted - SingleRoundingShift);
        float y2 = y * y;
        float sine = Unfused.MultiplyAdd(y, 1.5f, y * SingleSineSeries(y2));
        float cosine = Unfused.MultiplyAdd(y2, SingleCosineSeries(y2), 1f);
        bool swap = (quadrant & 1) != 0;
        return (
            BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(swap ? cosine : sine) ^ ((quadrant & 2) << 30)),
            BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(swap ? sine : cosine) ^ (((quadrant + 1) & 2) << 30)));
    }

    /// <inheritdoc cref="SinCos(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> Sin, Vector256<float> Cos) SinCos(Vector256<float> turns)
    {
        Vector256<float> t = turns * 4f;
        Vector256<float> shifted = t + Vector256.Create(SingleRoundingShift);
        Vector256<uint> quadrant = shifted.AsUInt32();
        Vector256<float> y = t - (shifted - Vector256.Create(SingleRoundingShift));
        Vector256<float> y2 = y * y;
        Vector256<float> sine = Unfused.MultiplyAdd(y, Vector256.Create(1.5f), y * SingleSineSeries(y2));
        Vector256<float> cosine = Unfused.MultiplyAdd(y2, SingleCosineSeries(y2), Vector256.Create(1f));
        Vector256<float> swap = Vector256.Equals(quadrant & Vector256<uint>.One, Vector256<uint>.One).AsSingle();
        Vector256<uint> sinSign = Vector256.ShiftLeft(quadrant & Vector256.Create(2u), 30);
        Vector256<uint> cosSign = Vector256.ShiftLeft((quadrant + Vector256<uint>.One) & Vector256.Create(2u), 30);
        return (
            (Vector256.ConditionalSelect(swap, cosine, sine).AsUInt32() ^ sinSign).AsSingle(),
            (Vector256.ConditionalSelect(swap, sine, cosine).AsUInt32() ^ cosSign).AsSingle());
    }

    /// <inheritdoc cref="SinCos(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float> Sin, Vector512<float> Cos) SinCos(Vector512<float> turns)
    {
        Vector512<float> t = turns * 4f;
        Vector512<float> shifted = t + Vector512.Create(SingleRoundingShift);
        Vector512<uint> quadrant = shifted.AsUInt32();
        Vector512<float> y = t - (shifted - Vector512.Create(SingleRoundingShift));
        Vector512<float> y2 = y * y;
        Vector512<float> sine = Unfused.MultiplyAdd(y, Vector512.Create(1.5f), y * SingleSineSeries(y2));
        Vector512<float> cosine = Unfused.MultiplyAdd(y2, SingleCosineSeries(y2), Vector512.Create(1f));
        Vector512<float> swap = Vector512.Equals(quadrant & Vector512<uint>.One, Vector512<uint>.One).AsSingle();
        Vector512<uint> sinSign = Vector512.ShiftLeft(quadrant & Vector512.Create(2u), 30);
        Vector512<uint> cosSign = Vector512.ShiftLeft((quadrant + Vector512<uint>.One) & Vector512.Create(2u), 30);
        return (
            (Vector512.ConditionalSelect(swap, cosine, sine).AsUInt32() ^ sinSign).AsSingle(),
            (Vector512.ConditionalSelect(swap, sine, cosine).AsUInt32() ^ cosSign).AsSingle());
    }

    /// <summary>sin 2πu and cos 2πu for a double <paramref name="turns"/> u in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Sin, double Cos) SinCos(double turns)
    {
        double t = turns * 4.0;
        double shifted = t + DoubleRoundingShift;
        ulong quadrant = BitConverter.DoubleToUInt64Bits(shifted);
        double y = t - (shifted - DoubleRoundingShift);
        double y2 = y * y;
        double sine = Unfused.MultiplyAdd(y, 1.5, y * DoubleSineSeries(y2));
        double cosine = Unfused.MultiplyAdd(y2, DoubleCosineSeries(y2), 1.0);
        bool swap = (quadrant & 1) != 0;
        return (
            BitConverter.UInt64BitsToDouble(BitConverter.DoubleToUInt64Bits(swap ? cosine : sine) ^ ((quadrant & 2) << 62)),
            BitConverter.UInt64BitsToDouble(BitConverter.DoubleToUInt64Bits(swap ? sine : cosine) ^ (((quadrant + 1) & 2) << 62)));
    }

    /// <inheritdoc cref="SinCos(double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<double> Sin, Vector256<double> Cos) SinCos(Vector256<double> turns)
    {
        Vector256<double> t = turns * 4.0;
        Vector256<double> shifted = t + Vector256.Create(DoubleRoundingShift);
        Vector256<ulong> quadrant = shifted.AsUInt64();
        Vector256<double> y = t - (shifted - Vector256.Create(DoubleRoundingShift));
        Vector256<double> y2 = y * y;
        Vector256<double> sine = Unfused.MultiplyAdd(y, Vector256.Create(1.5), y * DoubleSineSeries(y2));
        Vector256<double> cosine = Unfused.MultiplyAdd(y2, DoubleCosineSeries(y2), Vector256.Create(1.0));
        Vector256<double> swap = Vector256.Equals(quadrant & Vector256<ulong>.One, Vector256<ulong>.One).AsDouble();
        Vector256<ulong> sinSign = Vector256.ShiftLeft(quadrant & Vector256.Create(2ul), 62);
        Vector256<ulong> cosSign = Vector256.ShiftLeft((quadrant + Vector256<ulong>.One) & Vector256.Create(2ul), 62);
        return (
            (Vector256.ConditionalSelect(swap, cosine, sine).AsUInt64() ^ sinSign).AsDouble(),
            (Vector256.ConditionalSelect(swap, sine, cosine).AsUInt64() ^ cosSign).AsDouble());
    }

    /// <inheritdoc cref="SinCos(double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<double> Sin, Vector512<double> Cos) SinCos(Vector512<double> turns)
    {
        Vector512<double> t = turns * 4.0;
        Vector512<double> shifted = t + Vector512.Create(DoubleRoundingShift);
        Vector512<ulong> quadrant = shifted.AsUInt64();
        Vector512<double> y = t - (shifted - Vector512.Create(DoubleRoundingShift));
        Vector512<double> y2 = y * y;
        Vector512<double> sine = Unfused.MultiplyAdd(y, Vector512.Create(1.5), y * DoubleSineSeries(y2));
        Vector512<double> cosine = Unfused.MultiplyAdd(y2, DoubleCosineSeries(y2), Vector512.Create(1.0));
        Vector512<double> swap = Vector512.Equals(quadrant & Vector512<ulong>.One, Vector512<ulong>.One).AsDouble();
        Vector512<ulong> sinSign = Vector512.ShiftLeft(quadrant & Vector512.Create(2ul), 62);
        Vector512<ulong> cosSign = Vector512.ShiftLeft((quadrant + Vector512<ulong>.One) & Vector512.Create(2ul), 62);
        return (
            (Vector512.ConditionalSelect(swap, cosine, sine).AsUInt64() ^ sinSign).AsDouble(),
            (Vector512.ConditionalSelect(swap, sine, cosine).AsUInt64() ^ cosSign).AsDouble());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SingleSineSeries(float y2) =>
        Unfused.MultiplyAdd(Unfused.MultiplyAdd(Unfused.MultiplyAdd(y2, SingleS4, SingleS3), y2, SingleS2), y2, SingleS1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> SingleSineSeries(Vector256<float> y2) =>
        Unfused.MultiplyAdd(Unfused.MultiplyAdd(Unfused.MultiplyAdd(y2, Vector256.Create(SingleS4), Vector256.Create(SingleS3)), y2, Vector256.Create(SingleS2)), y2, Vector256.Create(SingleS1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SingleSineSeries(Vector512<float> y2) =>
        Unfused.MultiplyAdd(Unfused.MultiplyAdd(Unfused.MultiplyAdd(y2, Vector512.Create(SingleS4), Vector512.Create(SingleS3)), y2, Vector512.Create(SingleS2)), y2, Vector512.Create(SingleS1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SingleCosineSeries(float y2) =>
        Unfused.MultiplyAdd(Unfused.MultiplyAdd(Unfused.MultiplyAdd(y2, SingleC4, SingleC3), y2, SingleC2), y2, SingleC1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> SingleCosineSeries(Vector256<float> y2) =>
        Unfused.MultiplyAdd(Unfused.MultiplyAdd(Unfused.MultiplyAdd(y2, Vector256.Create(SingleC4), Vector256.Create(SingleC3)), y2, Vector256.Create(SingleC2)), y2, Vector256.Create(SingleC1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SingleCosineSeries(Vector512<float> y2) =>
        Unfused.MultiplyAdd(Unfused.MultiplyAdd(Unfused.MultiplyAdd(y2, Vector512.Create(SingleC4), Vector512.Create(SingleC3)), y2, Vector512.Create(SingleC2)), y2, Vector512.Create(SingleC1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double DoubleSineSeries(double y2) =>
        Unfused.Polynomial(y2, DoubleS1, DoubleS2, DoubleS3, DoubleS4, DoubleS5, DoubleS6, DoubleS7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> DoubleSineSeries(Vector256<double> y2) =>
        Unfused.Polynomial(y2, DoubleS1, DoubleS2, DoubleS3, DoubleS4, DoubleS5, DoubleS6, DoubleS7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> DoubleSineSeries(Vector512<double> y2) =>
        Unfused.Polynomial(y2, DoubleS1, DoubleS2, DoubleS3, DoubleS4, DoubleS5, DoubleS6, DoubleS7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double DoubleCosineSeries(double y2) =>
        Unfused.Polynomial(y2, DoubleC1, DoubleC2, DoubleC3, DoubleC4, DoubleC5, DoubleC6, DoubleC7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> DoubleCosineSeries(Vector256<double> y2) =>
        Unfused.Polynomial(y2, DoubleC1, DoubleC2, DoubleC3, DoubleC4, DoubleC5, DoubleC6, DoubleC7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> DoubleCosineSeries(Vector512<double> y2) =>
        Unfused.Polynomial(y2, DoubleC1, DoubleC2, DoubleC3, DoubleC4, DoubleC5, DoubleC6, DoubleC7);
}
