using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Kernels.Random;

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
}
