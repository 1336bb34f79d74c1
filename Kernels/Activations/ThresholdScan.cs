using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Kernels.Activations;

/// <summary>
/// The loop behind <see cref="Threshold"/>: compares the values with a threshold a vector at a time, turns each
/// comparison into a bit mask (<c>ExtractMostSignificantBits</c>) and hands the masks, in ascending order, to a sink.
/// </summary>
/// <remarks>
/// Width dispatch is that of the element-wise drivers (512 → 256 → 128 → scalar). Four masks are packed into one
/// 64-bit word per iteration, so a sparse result costs one sink call per 4 vectors. The last, overlapping vector
/// has the lanes already scanned cleared from its mask, so every element is reported once.
/// NaN compares false and never matches.
/// </remarks>
internal static class ThresholdScan
{
    /// <summary>Returns the number of values ≥ <paramref name="threshold"/>, passing every match to <paramref name="sink"/>.</summary>
    public static int Run<T, TSink>(ReadOnlySpan<T> values, T threshold, TSink sink)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSink : IMatchSink, allows ref struct
    {
        ref T xs = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            return Run512(ref xs, n, threshold, sink);
        }
        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            return Run256(ref xs, n, threshold, sink);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            return Run128(ref xs, n, threshold, sink);
        }
        int count = 0;
        for (nuint i = 0; i < n; i++)
        {
            if (Unsafe.Add(ref xs, i) >= threshold)
            {
                sink.Accept(count, i, 1);
                count++;
            }
        }
        return count;
    }

    private static int Run512<T, TSink>(ref T xs, nuint n, T threshold, TSink sink)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSink : IMatchSink, allows ref struct
    {
        int w = Vector512<T>.Count;
        Vector512<T> t = Vector512.Create(threshold);
        int count = 0;
        nuint i = 0;
        for (; i + (nuint)(4 * w) <= n; i += (nuint)(4 * w))
        {
            ulong lanes = Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref xs, i), t).ExtractMostSignificantBits()
                | Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref xs, i + (nuint)w), t).ExtractMostSignificantBits() << w
                | Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref xs, i + (nuint)(2 * w)), t).ExtractMostSignificantBits() << (2 * w)
                | Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref xs, i + (nuint)(3 * w)), t).ExtractMostSignificantBits() << (3 * w);
            sink.Accept(count, i, lanes);
            count += BitOperations.PopCount(lanes);
        }
        for (; i + (nuint)w <= n; i += (nuint)w)
        {
            ulong lanes = Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref xs, i), t).ExtractMostSignificantBits();
            sink.Accept(count, i, lanes);
            count += BitOperations.PopCount(lanes);
        }
        if (i < n)
        {
            nuint start = n - (nuint)w;
            ulong lanes = Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref xs, start), t).ExtractMostSignificantBits()
                & (ulong.MaxValue << (int)(i - start));
            sink.Accept(count, start, lanes);
            count += BitOperations.PopCount(lanes);
        }
        return count;
    }

    private static int Run256<T, TSink>(ref T xs, nuint n, T threshold, TSink sink)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSink : IMatchSink, allows ref struct
    {
        int w = Vector256<T>.Count;
        Vector256<T> t = Vector256.Create(threshold);
        int count = 0;
        nuint i = 0;
        for (; i + (nuint)(4 * w) <= n; i += (nuint)(4 * w))
        {
            ulong lanes = (ulong)Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref xs, i), t).ExtractMostSignificantBits()
                | (ulong)Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref xs, i + (nuint)w), t).ExtractMostSignificantBits() << w
                | (ulong)Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref xs, i + (nuint)(2 * w)), t).ExtractMostSignificantBits() << (2 * w)
                | (ulong)Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref xs, i + (nuint)(3 * w)), t).ExtractMostSignificantBits() << (3 * w);
            sink.Accept(count, i, lanes);
            count += BitOperations.PopCount(lanes);
        }
        for (; i + (nuint)w <= n; i += (nuint)w)
        {
            ulong lanes = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref xs, i), t).ExtractMostSignificantBits();
            sink.Accept(count, i, lanes);
            count += BitOperations.PopCount(lanes);
        }
        if (i < n)
        {
            nuint start = n - (nuint)w;
            ulong lanes = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref xs, start), t).ExtractMostSignificantBits()
                & (ulong.MaxValue << (int)(i - start));
            sink.Accept(count, start, lanes);
            count += BitOperations.PopCount(lanes);
        }
        return count;
    }

    private static int Run128<T, TSink>(ref T xs, nuint n, T threshold, TSink sink)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TSink : IMatchSink, allows ref struct
    {
        int w = Vector128<T>.Count;
        Vector128<T> t = Vector128.Create(threshold);
        int count = 0;
        nuint i = 0;
        for (; i + (nuint)(4 * w) <= n; i += (nuint)(4 * w))
        {
            ulong lanes = (ulong)Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref xs, i), t).ExtractMostSignificantBits()
                | (ulong)Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref xs, i + (nuint)w), t).ExtractMostSignificantBits() << w
                | (ulong)Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref xs, i + (nuint)(2 * w)), t).ExtractMostSignificantBits() << (2 * w)
                | (ulong)Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref xs, i + (nuint)(3 * w)), t).ExtractMostSignificantBits() << (3 * w);
            sink.Accept(count, i, lanes);
            count += BitOperations.PopCount(lanes);
        }
        for (; i + (nuint)w <= n; i += (nuint)w)
        {
            ulong lanes = Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref xs, i), t).ExtractMostSignificantBits();
            sink.Accept(count, i, lanes);
            count += BitOperations.PopCount(lanes);
        }
        if (i < n)
        {
            nuint start = n - (nuint)w;
            ulong lanes = Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref xs, start), t).ExtractMostSignificantBits()
                & (ulong.MaxValue << (int)(i - start));
            sink.Accept(count, start, lanes);
            count += BitOperations.PopCount(lanes);
        }
        return count;
    }
}
