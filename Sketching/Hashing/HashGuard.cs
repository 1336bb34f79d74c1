using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Kernels.Sketching.Hashing;

/// <summary>Argument checks of the hash functions; the throws are out of line so that the scalar methods stay small.</summary>
internal static class HashGuard
{
    /// <summary>Throws unless at least one bucket is asked for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireBuckets(int buckets)
    {
        if (buckets < 1)
        {
            ThrowBuckets(buckets);
        }
    }

    /// <summary>Throws unless <paramref name="key"/> &lt; <paramref name="keyCount"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireKey(uint key, ulong keyCount)
    {
        if (key >= keyCount)
        {
            ThrowKey(key, keyCount);
        }
    }

    /// <summary>Checks a batch call's keys before anything is written: every key below <paramref name="keyCount"/>.</summary>
    public static void RequireKeys(ReadOnlySpan<uint> keys, ulong keyCount)
    {
        if (keyCount <= uint.MaxValue)
        {
            // Vectorized search for the first key at or above the limit.
            int bad = keys.IndexOfAnyInRange((uint)keyCount, uint.MaxValue);
            if (bad >= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(keys), $"keys[{bad}] is {keys[bad]}; every key must be below {keyCount}.");
            }
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBuckets(int buckets) =>
        throw new ArgumentOutOfRangeException(nameof(buckets), buckets, "buckets must be at least 1.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowKey(uint key, ulong keyCount) =>
        throw new ArgumentOutOfRangeException(nameof(key), key, $"key must be below {keyCount}.");
}
