using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Kernels.Simd;

namespace Kernels.Sketching.Hashing;

/// <summary>
/// The maps from a hash value to buckets and signs, and the batch loops of every family (their checked entry points
/// are <see cref="HashEntryPoints"/>): eight keys per 512-bit
/// vector or four per 256-bit vector (64-bit lanes) where the family is vectorized, or eight keys in 32-bit lanes for
/// gathering families, then a scalar tail. The vector maps need <see cref="IRawHash.RangeBits"/> ≤ 32, which every
/// vectorized family has.
/// </summary>
/// <remarks>
/// A value v uniform on [0, R), R ≤ 2^b, goes to bucket ⌊v·m / 2^b⌋ of m. The bucket–sign pair is one such map into
/// 2m buckets, w: the sign is −1 on the upper half (w ≥ m) and the bucket is w mod m. The upper half is exactly
/// v ≥ 2^(b−1), which is also what <see cref="Sign"/> tests, so both ways of asking for a sign agree.
/// </remarks>
internal static class HashBatch
{
    /// <summary>⌊v·m / 2^bits⌋ for v &lt; 2^bits and m &lt; 2³² (a value below m).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Map(ulong value, uint m, int bits)
    {
        if (bits <= 32)
        {
            return (uint)((value * m) >> bits);
        }
        ulong high = Math.BigMul(value, m, out ulong low);
        return (uint)((high << (64 - bits)) | (low >> bits));
    }

    /// <summary>The bucket of one value: <see cref="Map"/> into [0, buckets).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Bucket(ulong value, int buckets, int bits) => (int)Map(value, (uint)buckets, bits);

    /// <summary>+1 on the lower half of the range, −1 on the upper half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Sign(ulong value, int bits) => 1 - 2 * (int)(value >> (bits - 1));

    /// <summary>The bucket–sign pair of one value (see the remarks of this class).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (int Bucket, int Sign) BucketAndSign(ulong value, int buckets, int bits)
    {
        // w < 2·buckets may pass int.MaxValue, so it stays unsigned.
        uint w = Map(value, 2u * (uint)buckets, bits);
        int upper = w >= (uint)buckets ? 1 : 0;
        return ((int)(w - (uint)(upper * buckets)), 1 - 2 * upper);
    }

    /// <summary>Buckets of every key; the caller has validated the arguments.</summary>
    public static void Buckets<THash>(in THash hash, ReadOnlySpan<uint> keys, int buckets, Span<int> destination) where THash : struct, IRawHash
    {
        ref uint k = ref MemoryMarshal.GetReference(keys);
        ref int d = ref MemoryMarshal.GetReference(destination);
        int n = keys.Length, bits = hash.RangeBits, i = 0;
        if (hash.IsVectorized512)
        {
            Vector512<ulong> m = Vector512.Create((ulong)(uint)buckets);
            for (; i + 8 <= n; i += 8)
            {
                Vector512<ulong> w = Vector512.ShiftRightLogical(Avx512F.Multiply(hash.Hash(Load512(ref k, i)).AsUInt32(), m.AsUInt32()), bits);
                Avx512F.ConvertToVector256UInt32(w).AsInt32().StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (hash.IsVectorized256)
        {
            Vector256<ulong> m = Vector256.Create((ulong)(uint)buckets);
            for (; i + 4 <= n; i += 4)
            {
                Vector256<ulong> w = Vector256.ShiftRightLogical(Avx2.Multiply(hash.Hash(Load256(ref k, i)).AsUInt32(), m.AsUInt32()), bits);
                Narrow(w).AsInt32().StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (hash.IsVectorized32)
        {
            Vector256<uint> m = Vector256.Create((uint)buckets);
            for (; i + 8 <= n; i += 8)
            {
                MultiplyHigh(hash.Hash(Vector256.LoadUnsafe(ref k, (nuint)i)), m).AsInt32().StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = Bucket(hash.Hash(Unsafe.Add(ref k, i)), buckets, bits);
        }
    }

    /// <summary>
    /// Buckets of the consecutive keys <paramref name="firstKey"/> … <paramref name="firstKey"/> + n − 1 (n the
    /// destination's length), the same values as <see cref="Buckets{THash}"/> on those keys, but with the keys generated
    /// in registers: no key buffer and no checks. The caller guarantees that every key is valid for the family.
    /// </summary>
    public static void BucketsOfRange<THash>(in THash hash, uint firstKey, int buckets, Span<int> destination) where THash : struct, IRawHash
    {
        ref int d = ref MemoryMarshal.GetReference(destination);
        int n = destination.Length, bits = hash.RangeBits, i = 0;
        if (hash.IsVectorized512)
        {
            Vector512<ulong> m = Vector512.Create((ulong)(uint)buckets), keys = Vector512.Create((ulong)firstKey) + Vector512<ulong>.Indices;
            Vector512<ulong> step = Vector512.Create(8UL);
            for (; i + 8 <= n; i += 8, keys += step)
            {
                Vector512<ulong> w = Vector512.ShiftRightLogical(Avx512F.Multiply(hash.Hash(keys).AsUInt32(), m.AsUInt32()), bits);
                Avx512F.ConvertToVector256UInt32(w).AsInt32().StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (hash.IsVectorized256)
        {
            Vector256<ulong> m = Vector256.Create((ulong)(uint)buckets), keys = Vector256.Create((ulong)firstKey) + Vector256<ulong>.Indices;
            Vector256<ulong> step = Vector256.Create(4UL);
            for (; i + 4 <= n; i += 4, keys += step)
            {
                Vector256<ulong> w = Vector256.ShiftRightLogical(Avx2.Multiply(hash.Hash(keys).AsUInt32(), m.AsUInt32()), bits);
                Narrow(w).AsInt32().StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (hash.IsVectorized32)
        {
            Vector256<uint> m = Vector256.Create((uint)buckets), keys = Vector256.Create(firstKey) + Vector256<uint>.Indices;
            Vector256<uint> step = Vector256.Create(8u);
            for (; i + 8 <= n; i += 8, keys += step)
            {
                MultiplyHigh(hash.Hash(keys), m).AsInt32().StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = Bucket(hash.Hash(firstKey + (uint)i), buckets, bits);
        }
    }

    /// <summary>
    /// <see cref="BucketsOfRange{THash}"/> for multiply-add-shift, incrementally: consecutive keys differ by 1, so their
    /// values a·x + b mod 2⁶⁴ differ by a, and eight lanes advance by 8a with one 64-bit add (no multiplication by the
    /// key). Exact in wrapping 64-bit arithmetic, so the buckets are the same bits as the batch path's.
    /// </summary>
    public static void BucketsOfRange(in MultiplyShift hash, uint firstKey, int buckets, Span<int> destination)
    {
        ref int d = ref MemoryMarshal.GetReference(destination);
        int n = destination.Length, i = 0;
        ulong a = hash.Multiplier, start = unchecked(a * firstKey + hash.Increment);
        if (Avx512F.IsSupported)
        {
            Vector512<ulong> m = Vector512.Create((ulong)(uint)buckets);
            Vector512<ulong> values = Vector512.Create(start) + Vector512.Create(a) * Vector512<ulong>.Indices, step = Vector512.Create(8 * a);
            for (; i + 8 <= n; i += 8, values += step)
            {
                Vector512<ulong> w = Vector512.ShiftRightLogical(Avx512F.Multiply(Vector512.ShiftRightLogical(values, 32).AsUInt32(), m.AsUInt32()), 32);
                Avx512F.ConvertToVector256UInt32(w).AsInt32().StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (Avx2.IsSupported)
        {
            Vector256<ulong> m = Vector256.Create((ulong)(uint)buckets);
            Vector256<ulong> values = Vector256.Create(start) + Vector256.Create(a) * Vector256<ulong>.Indices, step = Vector256.Create(4 * a);
            for (; i + 4 <= n; i += 4, values += step)
            {
                Vector256<ulong> w = Vector256.ShiftRightLogical(Avx2.Multiply(Vector256.ShiftRightLogical(values, 32).AsUInt32(), m.AsUInt32()), 32);
                Narrow(w).AsInt32().StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = Bucket(hash.Hash(firstKey + (uint)i), buckets, 32);
        }
    }

    /// <summary>Signs of every key; the caller has validated the arguments.</summary>
    public static void Signs<THash>(in THash hash, ReadOnlySpan<uint> keys, Span<int> destination) where THash : struct, IRawHash
    {
        ref uint k = ref MemoryMarshal.GetReference(keys);
        ref int d = ref MemoryMarshal.GetReference(destination);
        int n = keys.Length, bits = hash.RangeBits, i = 0;
        if (hash.IsVectorized512)
        {
            for (; i + 8 <= n; i += 8)
            {
                Vector256<int> upper = Avx512F.ConvertToVector256UInt32(Vector512.ShiftRightLogical(hash.Hash(Load512(ref k, i)), bits - 1)).AsInt32();
                (Vector256<int>.One - upper - upper).StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (hash.IsVectorized256)
        {
            for (; i + 4 <= n; i += 4)
            {
                Vector128<int> upper = Narrow(Vector256.ShiftRightLogical(hash.Hash(Load256(ref k, i)), bits - 1)).AsInt32();
                (Vector128<int>.One - upper - upper).StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (hash.IsVectorized32)
        {
            for (; i + 8 <= n; i += 8)
            {
                Vector256<int> upper = Vector256.ShiftRightLogical(hash.Hash(Vector256.LoadUnsafe(ref k, (nuint)i)), 31).AsInt32();
                (Vector256<int>.One - upper - upper).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref d, i) = Sign(hash.Hash(Unsafe.Add(ref k, i)), bits);
        }
    }

    /// <summary>Bucket–sign pairs of every key; the caller has validated the arguments.</summary>
    public static void BucketsAndSigns<THash>(in THash hash, ReadOnlySpan<uint> keys, int buckets, Span<int> bucketDestination, Span<int> signDestination)
        where THash : struct, IRawHash
    {
        ref uint k = ref MemoryMarshal.GetReference(keys);
        ref int b = ref MemoryMarshal.GetReference(bucketDestination);
        ref int s = ref MemoryMarshal.GetReference(signDestination);
        int n = keys.Length, bits = hash.RangeBits, i = 0;
        if (hash.IsVectorized512)
        {
            Vector512<ulong> m = Vector512.Create(2UL * (uint)buckets);
            Vector256<uint> half = Vector256.Create((uint)buckets);
            for (; i + 8 <= n; i += 8)
            {
                Vector512<ulong> w = Vector512.ShiftRightLogical(Avx512F.Multiply(hash.Hash(Load512(ref k, i)).AsUInt32(), m.AsUInt32()), bits);
                Vector256<uint> w32 = Avx512F.ConvertToVector256UInt32(w);
                Vector256<uint> upper = Vector256.GreaterThanOrEqual(w32, half);
                (w32 - (upper & half)).AsInt32().StoreUnsafe(ref b, (nuint)i);
                (Vector256<int>.One + upper.AsInt32() + upper.AsInt32()).StoreUnsafe(ref s, (nuint)i);
            }
        }
        else if (hash.IsVectorized256)
        {
            Vector256<ulong> m = Vector256.Create(2UL * (uint)buckets);
            Vector128<uint> half = Vector128.Create((uint)buckets);
            for (; i + 4 <= n; i += 4)
            {
                Vector256<ulong> w = Vector256.ShiftRightLogical(Avx2.Multiply(hash.Hash(Load256(ref k, i)).AsUInt32(), m.AsUInt32()), bits);
                Vector128<uint> w32 = Narrow(w);
                Vector128<uint> upper = Vector128.GreaterThanOrEqual(w32, half);
                (w32 - (upper & half)).AsInt32().StoreUnsafe(ref b, (nuint)i);
                (Vector128<int>.One + upper.AsInt32() + upper.AsInt32()).StoreUnsafe(ref s, (nuint)i);
            }
        }
        else if (hash.IsVectorized32)
        {
            Vector256<uint> m = Vector256.Create(2u * (uint)buckets), half = Vector256.Create((uint)buckets);
            for (; i + 8 <= n; i += 8)
            {
                Vector256<uint> w = MultiplyHigh(hash.Hash(Vector256.LoadUnsafe(ref k, (nuint)i)), m);
                Vector256<uint> upper = Vector256.GreaterThanOrEqual(w, half);
                (w - (upper & half)).AsInt32().StoreUnsafe(ref b, (nuint)i);
                (Vector256<int>.One + upper.AsInt32() + upper.AsInt32()).StoreUnsafe(ref s, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            (Unsafe.Add(ref b, i), Unsafe.Add(ref s, i)) = BucketAndSign(hash.Hash(Unsafe.Add(ref k, i)), buckets, bits);
        }
    }

    /// <summary>
    /// ⌊v·m / 2³²⌋ in each 32-bit lane. The widening multiply (vpmuludq) reads even lanes only, so odd lanes are shifted
    /// down for a second multiply and the two high halves are merged back in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> MultiplyHigh(Vector256<uint> v, Vector256<uint> m)
    {
        Vector256<ulong> even = Avx2.Multiply(v, m);
        Vector256<ulong> odd = Avx2.Multiply(Vector256.ShiftRightLogical(v.AsUInt64(), 32).AsUInt32(), m);
        return (Vector256.ShiftRightLogical(even, 32) | (odd & Vector256.Create(0xFFFF_FFFF_0000_0000UL))).AsUInt32();
    }

    /// <summary>Eight keys from <paramref name="i"/>, zero-extended to 64-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Load512(ref uint keys, int i) => Avx512F.ConvertToVector512UInt64(Vector256.LoadUnsafe(ref keys, (nuint)i));

    /// <summary>Four keys from <paramref name="i"/>, zero-extended to 64-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Load256(ref uint keys, int i) => Avx2.ConvertToVector256Int64(Vector128.LoadUnsafe(ref keys, (nuint)i)).AsUInt64();

    /// <summary>The low 32 bits of each 64-bit lane, packed (AVX2 has no vpmovqd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Narrow(Vector256<ulong> lanes) =>
        Avx2.PermuteVar8x32(lanes.AsUInt32(), Vector256.Create(0u, 2, 4, 6, 0, 2, 4, 6)).GetLower();
}
