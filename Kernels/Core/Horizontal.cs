using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Core;

/// <summary>
/// Horizontal reductions of one vector in a fixed order: halve the vector with <c>Combine(lower, upper)</c> down to
/// 128 bits, then fold the remaining lanes left to right. The order never varies, which keeps float reductions
/// repeatable; an operator written outside the library ends its own reduction loop with these.
/// </summary>
public static class Horizontal
{
    /// <summary>Combines the lanes of <paramref name="v"/> with <paramref name="combiner"/> in the fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Reduce<T, TC>(Vector512<T> v, TC combiner) where T : unmanaged where TC : struct, ICombiner<T> =>
        Reduce(combiner.Combine(v.GetLower(), v.GetUpper()), combiner);

    /// <inheritdoc cref="Reduce{T, TC}(Vector512{T}, TC)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Reduce<T, TC>(Vector256<T> v, TC combiner) where T : unmanaged where TC : struct, ICombiner<T> =>
        Reduce(combiner.Combine(v.GetLower(), v.GetUpper()), combiner);

    /// <inheritdoc cref="Reduce{T, TC}(Vector512{T}, TC)"/>
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

    /// <summary>The sum of the lanes of <paramref name="v"/>, added in the fixed order of <see cref="Reduce{T, TC}(Vector512{T}, TC)"/>
    /// (unlike <see cref="Vector512.Sum{T}(Vector512{T})"/>, whose order is unspecified).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T>(Vector512<T> v) where T : unmanaged, IFloatingPointIeee754<T> => Reduce(v, default(SumAccumulator<T>));

    /// <inheritdoc cref="Sum{T}(Vector512{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T>(Vector256<T> v) where T : unmanaged, IFloatingPointIeee754<T> => Reduce(v, default(SumAccumulator<T>));

    /// <inheritdoc cref="Sum{T}(Vector512{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T>(Vector128<T> v) where T : unmanaged, IFloatingPointIeee754<T> => Reduce(v, default(SumAccumulator<T>));

    /// <summary>The largest lane of <paramref name="v"/> under IEEE 754-2019 <c>maximum</c> (a NaN lane gives NaN, +0 &gt; −0);
    /// the result does not depend on the order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max<T>(Vector512<T> v) where T : unmanaged, IFloatingPointIeee754<T> => Reduce(v, default(MaxAccumulator<T>));

    /// <inheritdoc cref="Max{T}(Vector512{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max<T>(Vector256<T> v) where T : unmanaged, IFloatingPointIeee754<T> => Reduce(v, default(MaxAccumulator<T>));

    /// <inheritdoc cref="Max{T}(Vector512{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max<T>(Vector128<T> v) where T : unmanaged, IFloatingPointIeee754<T> => Reduce(v, default(MaxAccumulator<T>));
}
