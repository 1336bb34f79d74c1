using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Kernels.Simd;

/// <summary>
/// Horizontal reductions in a fixed order: halve the vector with <c>Combine(lower, upper)</c> down to 128 bits,
/// then fold the remaining lanes left to right. The order never varies, which keeps float reductions repeatable.
/// </summary>
internal static class Horizontal
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Reduce<T, TC>(Vector512<T> v, TC combiner) where T : unmanaged where TC : struct, ICombiner<T> =>
        Reduce(combiner.Combine(v.GetLower(), v.GetUpper()), combiner);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Reduce<T, TC>(Vector256<T> v, TC combiner) where T : unmanaged where TC : struct, ICombiner<T> =>
        Reduce(combiner.Combine(v.GetLower(), v.GetUpper()), combiner);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Reduce<T, TC>(Vector128<T> v, TC combiner) where T : unmanaged where TC : struct, ICombiner<T>
    {
        T r = v.GetElement(0);
        for (int i = 1; i < Vector128<T>.Count; i++)
        {
            r = combiner.Combine(r, v.GetElement(i));
        }
        return r;
    }
}
