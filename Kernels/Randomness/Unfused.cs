using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Kernels.Randomness;

/// <summary>
/// <c>a·b + c</c> with two roundings, never fused. The generator's transforms (log, sin/cos, scaling) use it so that
/// every value depends only on (seed, stream, index), bit for bit, on any machine: fused multiply-add exists on
/// some machines and not others, and would make the last bits machine-dependent.
/// </summary>
internal static class Unfused
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MultiplyAdd(double a, double b, double c) => a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c) => a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) => a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) => a * b + c;

    /// <summary>
    /// c₁ + z·(c₂ + z·(c₃ + … + z·c₇)) by Horner's rule with unfused steps, innermost first: the degree-6 series
    /// of the double transforms, written once for every width so that scalar and vector lanes do the same operations.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Polynomial(double z, double c1, double c2, double c3, double c4, double c5, double c6, double c7)
    {
        double p = MultiplyAdd(z, c7, c6);
        p = MultiplyAdd(p, z, c5);
        p = MultiplyAdd(p, z, c4);
        p = MultiplyAdd(p, z, c3);
        p = MultiplyAdd(p, z, c2);
        return MultiplyAdd(p, z, c1);
    }

    /// <inheritdoc cref="Polynomial(double, double, double, double, double, double, double, double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Polynomial(Vector256<double> z, double c1, double c2, double c3, double c4, double c5, double c6, double c7)
    {
        Vector256<double> p = MultiplyAdd(z, Vector256.Create(c7), Vector256.Create(c6));
        p = MultiplyAdd(p, z, Vector256.Create(c5));
        p = MultiplyAdd(p, z, Vector256.Create(c4));
        p = MultiplyAdd(p, z, Vector256.Create(c3));
        p = MultiplyAdd(p, z, Vector256.Create(c2));
        return MultiplyAdd(p, z, Vector256.Create(c1));
    }

    /// <inheritdoc cref="Polynomial(double, double, double, double, double, double, double, double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Polynomial(Vector512<double> z, double c1, double c2, double c3, double c4, double c5, double c6, double c7)
    {
        Vector512<double> p = MultiplyAdd(z, Vector512.Create(c7), Vector512.Create(c6));
        p = MultiplyAdd(p, z, Vector512.Create(c5));
        p = MultiplyAdd(p, z, Vector512.Create(c4));
        p = MultiplyAdd(p, z, Vector512.Create(c3));
        p = MultiplyAdd(p, z, Vector512.Create(c2));
        return MultiplyAdd(p, z, Vector512.Create(c1));
    }
}
