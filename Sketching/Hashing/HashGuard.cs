using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Kernels.Simd;

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

    /// <summary>Checks a batch call before anything is written: the bucket count, the destination lengths and every key.</summary>
    public static void RequireBatch(ReadOnlySpan<uint> keys, ulong keyCount, int destinationLength, string destinationName)
    {
        SpanGuard.RequireDestination(destinationLength, keys.Length, destinationName);
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
