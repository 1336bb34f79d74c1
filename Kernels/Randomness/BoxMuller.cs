using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Kernels.Randomness;

/// <summary>
/// The Box–Muller transform: for independent u₁ uniform on (0, 1] and u₂ uniform on [0, 1),
/// √(−2 ln u₁)·cos 2πu₂ and √(−2 ln u₁)·sin 2πu₂ are independent standard normals.
/// </summary>
/// <remarks>
/// Built from <see cref="NaturalLog"/>, <see cref="TurnSinCos"/> and the correctly rounded square root, so that every
/// path gives the same bits. u₁ excludes 0, so the logarithm is always finite; the largest radius is
/// √(2·24 ln 2) ≈ 5.77 for float and √(2·53 ln 2) ≈ 8.57 for double.
/// </remarks>
internal static class BoxMuller
{
    /// <summary>The two normals made from (<paramref name="u1"/>, <paramref name="u2"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Cosine, float Sine) Transform(float u1, float u2)
    {
        float radius = MathF.Sqrt(-2f * NaturalLog.Log(u1));
        var (sin, cos) = TurnSinCos.SinCos(u2);
        return (radius * cos, radius * sin);
    }

    /// <inheritdoc cref="Transform(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> Cosine, Vector256<float> Sine) Transform(Vector256<float> u1, Vector256<float> u2)
    {
        Vector256<float> radius = Vector256.Sqrt(Vector256.Create(-2f) * NaturalLog.Log(u1));
        var (sin, cos) = TurnSinCos.SinCos(u2);
        return (radius * cos, radius * sin);
    }

    /// <inheritdoc cref="Transform(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float> Cosine, Vector512<float> Sine) Transform(Vector512<float> u1, Vector512<float> u2)
    {
        Vector512<float> radius = Vector512.Sqrt(Vector512.Create(-2f) * NaturalLog.Log(u1));
        var (sin, cos) = TurnSinCos.SinCos(u2);
        return (radius * cos, radius * sin);
    }

    /// <inheritdoc cref="Transform(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Cosine, double Sine) Transform(double u1, double u2)
    {
        double radius = Math.Sqrt(-2.0 * NaturalLog.Log(u1));
        var (sin, cos) = TurnSinCos.SinCos(u2);
        return (radius * cos, radius * sin);
    }

    /// <inheritdoc cref="Transform(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<double> Cosine, Vector256<double> Sine) Transform(Vector256<double> u1, Vector256<double> u2)
    {
        Vector256<double> radius = Vector256.Sqrt(Vector256.Create(-2.0) * NaturalLog.Log(u1));
        var (sin, cos) = TurnSinCos.SinCos(u2);
        return (radius * cos, radius * sin);
    }

    /// <inheritdoc cref="Transform(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<double> Cosine, Vector512<double> Sine) Transform(Vector512<double> u1, Vector512<double> u2)
    {
        Vector512<double> radius = Vector512.Sqrt(Vector512.Create(-2.0) * NaturalLog.Log(u1));
        var (sin, cos) = TurnSinCos.SinCos(u2);
        return (radius * cos, radius * sin);
    }
}
