using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Elementwise;

/// <summary>
/// eˣ for float and double, written once per vector width with the same operations in the same order, so that every
/// lane of every width (and the scalar path, which runs the 128-bit code on one lane) returns the same bits.
/// </summary>
/// <remarks>
/// <para>Range reduction: x = k·ln 2 + r with k = round(x·log₂e) (rounded by adding and subtracting 1.5·2^p, p the
/// significand width, so no float-to-integer conversion is needed) and |r| ≤ ln 2 / 2. ln 2 is split in two
/// (its high part has trailing zeros, so k·high is exact, as in the generator's logarithm), so r carries no more than
/// an ulp of error.</para>
/// <para>eʳ is its Taylor series, of degree 7 for float (truncation error below 6·10⁻⁹, 0.1 ulp) and 13 for double
/// (below 5·10⁻¹⁸, 0.05 ulp), by Horner's rule with fused multiply-adds where the hardware has them.</para>
/// <para>Scaling by 2ᵏ is done in two exact halves, 2^⌊k/2⌋ and 2^(k − ⌊k/2⌋), each a normal number built from its
/// exponent bits: the first product is exact and only the second rounds, so results in the subnormal range are
/// rounded once, and results beyond the largest finite value become +∞ exactly where eˣ overflows. Arguments are
/// first clamped to [−746, 710] (double) or [−104, 89] (float), outside which eˣ rounds to 0 or +∞ anyway; the clamp
/// keeps k small enough for the exponent arithmetic. NaN propagates (the IEEE 754-2019 minimum and maximum keep it),
/// e^(+∞) = +∞ and e^(−∞) = 0.</para>
/// </remarks>
internal static class ExpApproximation
{
    private const double DoubleLowest = -746, DoubleHighest = 710;
    private const double DoubleShifter = 6755399441055744.0; // 1.5·2⁵²
    private const double DoubleLn2High = 0.6931471805598903; // 42 significant bits: k·high is exact for |k| < 2¹¹.
    private const double DoubleLn2Low = 5.497923018708371e-14;
    private const float SingleLowest = -104, SingleHighest = 89;
    private const float SingleShifter = 12582912f; // 1.5·2²³
    private const float SingleLn2High = 0.69314575f; // 16 significant bits: k·high is exact for |k| < 2⁸.
    private const float SingleLn2Low = 1.4286068e-06f;

    /// <summary>eˣ for one element: the 128-bit code on one lane, so the scalar path matches the vector paths bit for bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => Exp(Vector128.CreateScalarUnsafe(x)).ToScalar();

    /// <inheritdoc cref="Exp{T}(T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp<T>(Vector128<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector128<T> clamped = Vector128.Min(Vector128.Max(x, Vector128.Create(Lowest<T>())), Vector128.Create(Highest<T>()));
        Vector128<T> shifter = Vector128.Create(Shifter<T>());
        Vector128<T> shifted = VectorMath.MultiplyAdd(clamped, Vector128.Create(T.CreateTruncating(Math.Log2(Math.E))), shifter);
        Vector128<T> k = shifted - shifter;
        Vector128<T> r = clamped - k * Vector128.Create(Ln2High<T>()) - k * Vector128.Create(Ln2Low<T>());
        Vector128<T> p = Vector128.Create(Coefficient<T>(Degree<T>()));
        for (int i = Degree<T>() - 1; i >= 0; i--)
        {
            p = VectorMath.MultiplyAdd(p, r, Vector128.Create(Coefficient<T>(i)));
        }
        if (typeof(T) == typeof(double))
        {
            Vector128<long> whole = shifted.AsInt64() - Vector128.Create(BitConverter.DoubleToInt64Bits(DoubleShifter));
            Vector128<long> half = Vector128.ShiftRightArithmetic(whole, 1);
            Vector128<T> first = Vector128.ShiftLeft(half + Vector128.Create(1023L), 52).As<long, T>();
            Vector128<T> second = Vector128.ShiftLeft(whole - half + Vector128.Create(1023L), 52).As<long, T>();
            return p * first * second;
        }
        else
        {
            Vector128<int> whole = shifted.AsInt32() - Vector128.Create(BitConverter.SingleToInt32Bits(SingleShifter));
            Vector128<int> half = Vector128.ShiftRightArithmetic(whole, 1);
            Vector128<T> first = Vector128.ShiftLeft(half + Vector128.Create(127), 23).As<int, T>();
            Vector128<T> second = Vector128.ShiftLeft(whole - half + Vector128.Create(127), 23).As<int, T>();
            return p * first * second;
        }
    }

    /// <inheritdoc cref="Exp{T}(T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> clamped = Vector256.Min(Vector256.Max(x, Vector256.Create(Lowest<T>())), Vector256.Create(Highest<T>()));
        Vector256<T> shifter = Vector256.Create(Shifter<T>());
        Vector256<T> shifted = VectorMath.MultiplyAdd(clamped, Vector256.Create(T.CreateTruncating(Math.Log2(Math.E))), shifter);
        Vector256<T> k = shifted - shifter;
        Vector256<T> r = clamped - k * Vector256.Create(Ln2High<T>()) - k * Vector256.Create(Ln2Low<T>());
        Vector256<T> p = Vector256.Create(Coefficient<T>(Degree<T>()));
        for (int i = Degree<T>() - 1; i >= 0; i--)
        {
            p = VectorMath.MultiplyAdd(p, r, Vector256.Create(Coefficient<T>(i)));
        }
        if (typeof(T) == typeof(double))
        {
            Vector256<long> whole = shifted.AsInt64() - Vector256.Create(BitConverter.DoubleToInt64Bits(DoubleShifter));
            Vector256<long> half = Vector256.ShiftRightArithmetic(whole, 1);
            Vector256<T> first = Vector256.ShiftLeft(half + Vector256.Create(1023L), 52).As<long, T>();
            Vector256<T> second = Vector256.ShiftLeft(whole - half + Vector256.Create(1023L), 52).As<long, T>();
            return p * first * second;
        }
        else
        {
            Vector256<int> whole = shifted.AsInt32() - Vector256.Create(BitConverter.SingleToInt32Bits(SingleShifter));
            Vector256<int> half = Vector256.ShiftRightArithmetic(whole, 1);
            Vector256<T> first = Vector256.ShiftLeft(half + Vector256.Create(127), 23).As<int, T>();
            Vector256<T> second = Vector256.ShiftLeft(whole - half + Vector256.Create(127), 23).As<int, T>();
            return p * first * second;
        }
    }

    /// <inheritdoc cref="Exp{T}(T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(Lowest<T>())), Vector512.Create(Highest<T>()));
        Vector512<T> shifter = Vector512.Create(Shifter<T>());
        Vector512<T> shifted = VectorMath.MultiplyAdd(clamped, Vector512.Create(T.CreateTruncating(Math.Log2(Math.E))), shifter);
        Vector512<T> k = shifted - shifter;
        Vector512<T> r = clamped - k * Vector512.Create(Ln2High<T>()) - k * Vector512.Create(Ln2Low<T>());
        Vector512<T> p = Vector512.Create(Coefficient<T>(Degree<T>()));
        for (int i = Degree<T>() - 1; i >= 0; i--)
        {
            p = VectorMath.MultiplyAdd(p, r, Vector512.Create(Coefficient<T>(i)));
        }
        if (typeof(T) == typeof(double))
        {
            Vector512<long> whole = shifted.AsInt64() - Vector512.Create(BitConverter.DoubleToInt64Bits(DoubleShifter));
            Vector512<long> half = Vector512.ShiftRightArithmetic(whole, 1);
            Vector512<T> first = Vector512.ShiftLeft(half + Vector512.Create(1023L), 52).As<long, T>();
            Vector512<T> second = Vector512.ShiftLeft(whole - half + Vector512.Create(1023L), 52).As<long, T>();
            return p * first * second;
        }
        else
        {
            Vector512<int> whole = shifted.AsInt32() - Vector512.Create(BitConverter.SingleToInt32Bits(SingleShifter));
            Vector512<int> half = Vector512.ShiftRightArithmetic(whole, 1);
            Vector512<T> first = Vector512.ShiftLeft(half + Vector512.Create(127), 23).As<int, T>();
            Vector512<T> second = Vector512.ShiftLeft(whole - half + Vector512.Create(127), 23).As<int, T>();
            return p * first * second;
        }
    }

    private static T Lowest<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(double) ? T.CreateTruncating(DoubleLowest) : T.CreateTruncating(SingleLowest);

    private static T Highest<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(double) ? T.CreateTruncating(DoubleHighest) : T.CreateTruncating(SingleHighest);

    private static T Shifter<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(double) ? T.CreateTruncating(DoubleShifter) : T.CreateTruncating(SingleShifter);

    private static T Ln2High<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(double) ? T.CreateTruncating(DoubleLn2High) : T.CreateTruncating(SingleLn2High);

    private static T Ln2Low<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(double) ? T.CreateTruncating(DoubleLn2Low) : T.CreateTruncating(SingleLn2Low);

    /// <summary>Degree of the Taylor polynomial: the first whose truncation error is a small fraction of an ulp on |r| ≤ ln 2 / 2.</summary>
    private static int Degree<T>() where T : unmanaged, IFloatingPointIeee754<T> => typeof(T) == typeof(double) ? 13 : 7;

    /// <summary>1/i!, rounded to <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Coefficient<T>(int i) where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(InverseFactorials[i]);

    private static ReadOnlySpan<double> InverseFactorials =>
    [
        1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800,
        1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800,
    ];
}
