using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Training.Ntk;

/// <summary>
/// The element-wise step from inner products to the NTK: g ↦ g·(π − arccos(u))/(2π) with u = g·r·c clipped to [−1, 1],
/// where r is the inverse norm of the row's point (fixed per call) and c the inverse norm of the column's point (the
/// second operand). One pass of <see cref="BinaryDriver"/> per row of the kernel matrix.
/// </summary>
/// <remarks>
/// arccos is the fdlibm reduction with its rational approximation R(z) of (asin(√z) − √z)/√z on [0, ¼] (Sun
/// Microsystems' e_asin.c/e_acos.c coefficients): for a = |u| &lt; ½, arccos a = π/2 − (a + a·R(a²)); otherwise
/// arccos a = 2(s + s·R(z)) with z = (1 − a)/2 and s = √z; then arccos(−a) = π − arccos a. Both branches are evaluated
/// and selected, so every lane takes the same instructions, except that a vector whose lanes are all below ½ (points far
/// from parallel, the common case in high dimension) skips the square root, the slowest instruction of the step, with
/// the same bits; the error is a few ulps of π in either precision (the tests compare with <see cref="Math.Acos(double)"/>).
/// </remarks>
internal readonly struct ArcCosineTransform<T>(T rowInverseNorm) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T P0 = T.CreateChecked(1.66666666666666657415e-01), P1 = T.CreateChecked(-3.25565818622400915405e-01),
        P2 = T.CreateChecked(2.01212532134862925881e-01), P3 = T.CreateChecked(-4.00555345006794114027e-02),
        P4 = T.CreateChecked(7.91534994289814532176e-04), P5 = T.CreateChecked(3.47933107596021167570e-05),
        Q1 = T.CreateChecked(-2.40339491173441421878e+00), Q2 = T.CreateChecked(2.02094576023350569471e+00),
        Q3 = T.CreateChecked(-6.88283971605453293030e-01), Q4 = T.CreateChecked(7.70381505559019352791e-02);
    private static readonly T Pi = T.Pi, HalfPi = T.Pi / T.CreateChecked(2), Half = T.CreateChecked(0.5), Two = T.CreateChecked(2),
        InverseTwoPi = T.One / (T.CreateChecked(2) * T.Pi);

    /// <summary>The scalar arccos of the same reduction, for the tail and for tests.</summary>
    internal static T ArcCos(T u)
    {
        T a = T.Min(T.Abs(u), T.One);
        bool small = a < Half;
        T z = small ? a * a : (T.One - a) * Half;
        T w = small ? a : T.Sqrt(z);
        T p = w + w * Ratio(z);
        T acos = small ? HalfPi - p : Two * p;
        return u < T.Zero ? Pi - acos : acos;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Ratio(T z) =>
        z * (P0 + z * (P1 + z * (P2 + z * (P3 + z * (P4 + z * P5))))) / (T.One + z * (Q1 + z * (Q2 + z * (Q3 + z * Q4))));

    /// <inheritdoc/>
    public T Invoke(T g, T columnInverseNorm)
    {
        T u = T.Clamp(g * rowInverseNorm * columnInverseNorm, -T.One, T.One);
        return g * (Pi - ArcCos(u)) * InverseTwoPi;
    }

    /// <inheritdoc/>
    public Vector128<T> Invoke(Vector128<T> g, Vector128<T> c)
    {
        var u = Vector128.Min(Vector128.Max(g * rowInverseNorm * c, Vector128.Create(-T.One)), Vector128.Create(T.One));
        var a = Vector128.Abs(u);
        var small = Vector128.LessThan(a, Vector128.Create(Half));
        Vector128<T> z, w;
        if (Vector128.LessThanAll(a, Vector128.Create(Half)))
        {
            z = a * a;                                                                  // no lane needs the square root
            w = a;
        }
        else
        {
            z = Vector128.ConditionalSelect(small, a * a, (Vector128.Create(T.One) - a) * Half);
            w = Vector128.ConditionalSelect(small, a, Vector128.Sqrt(z));
        }
        var numerator = z * (Vector128.Create(P0) + z * (Vector128.Create(P1) + z * (Vector128.Create(P2) + z * (Vector128.Create(P3) + z * (Vector128.Create(P4) + z * P5)))));
        var denominator = Vector128.Create(T.One) + z * (Vector128.Create(Q1) + z * (Vector128.Create(Q2) + z * (Vector128.Create(Q3) + z * Q4)));
        var p = w + w * (numerator / denominator);
        var acos = Vector128.ConditionalSelect(small, Vector128.Create(HalfPi) - p, p * Two);
        acos = Vector128.ConditionalSelect(Vector128.LessThan(u, Vector128<T>.Zero), Vector128.Create(Pi) - acos, acos);
        return g * (Vector128.Create(Pi) - acos) * InverseTwoPi;
    }

    /// <inheritdoc/>
    public Vector256<T> Invoke(Vector256<T> g, Vector256<T> c)
    {
        var u = Vector256.Min(Vector256.Max(g * rowInverseNorm * c, Vector256.Create(-T.One)), Vector256.Create(T.One));
        var a = Vector256.Abs(u);
        var small = Vector256.LessThan(a, Vector256.Create(Half));
        Vector256<T> z, w;
        if (Vector256.LessThanAll(a, Vector256.Create(Half)))
        {
            z = a * a;                                                                  // no lane needs the square root
            w = a;
        }
        else
        {
            z = Vector256.ConditionalSelect(small, a * a, (Vector256.Create(T.One) - a) * Half);
            w = Vector256.ConditionalSelect(small, a, Vector256.Sqrt(z));
        }
        var numerator = z * (Vector256.Create(P0) + z * (Vector256.Create(P1) + z * (Vector256.Create(P2) + z * (Vector256.Create(P3) + z * (Vector256.Create(P4) + z * P5)))));
        var denominator = Vector256.Create(T.One) + z * (Vector256.Create(Q1) + z * (Vector256.Create(Q2) + z * (Vector256.Create(Q3) + z * Q4)));
        var p = w + w * (numerator / denominator);
        var acos = Vector256.ConditionalSelect(small, Vector256.Create(HalfPi) - p, p * Two);
        acos = Vector256.ConditionalSelect(Vector256.LessThan(u, Vector256<T>.Zero), Vector256.Create(Pi) - acos, acos);
        return g * (Vector256.Create(Pi) - acos) * InverseTwoPi;
    }

    /// <inheritdoc/>
    public Vector512<T> Invoke(Vector512<T> g, Vector512<T> c)
    {
        var u = Vector512.Min(Vector512.Max(g * rowInverseNorm * c, Vector512.Create(-T.One)), Vector512.Create(T.One));
        var a = Vector512.Abs(u);
        var small = Vector512.LessThan(a, Vector512.Create(Half));
        Vector512<T> z, w;
        if (Vector512.LessThanAll(a, Vector512.Create(Half)))
        {
            z = a * a;                                                                  // no lane needs the square root
            w = a;
        }
        else
        {
            z = Vector512.ConditionalSelect(small, a * a, (Vector512.Create(T.One) - a) * Half);
            w = Vector512.ConditionalSelect(small, a, Vector512.Sqrt(z));
        }
        var numerator = z * (Vector512.Create(P0) + z * (Vector512.Create(P1) + z * (Vector512.Create(P2) + z * (Vector512.Create(P3) + z * (Vector512.Create(P4) + z * P5)))));
        var denominator = Vector512.Create(T.One) + z * (Vector512.Create(Q1) + z * (Vector512.Create(Q2) + z * (Vector512.Create(Q3) + z * Q4)));
        var p = w + w * (numerator / denominator);
        var acos = Vector512.ConditionalSelect(small, Vector512.Create(HalfPi) - p, p * Two);
        acos = Vector512.ConditionalSelect(Vector512.LessThan(u, Vector512<T>.Zero), Vector512.Create(Pi) - acos, acos);
        return g * (Vector512.Create(Pi) - acos) * InverseTwoPi;
    }
}
