using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Kernels.Sketching.Hashing;

/// <summary>
/// The key checks of the hash functions, which have no counterpart in <see cref="Guard"/>: keys are unsigned and the
/// key count may exceed <see cref="uint.MaxValue"/>. The throws are out of line so that the scalar methods stay small.
/// </summary>
internal static class HashGuard
{
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
    private static void ThrowKey(uint key, ulong keyCount) =>
        throw new ArgumentOutOfRangeException(nameof(key), key, $"key must be below {keyCount}.");
}
