using System.Runtime.CompilerServices;

namespace Kernels.Sketching.Hashing;

/// <summary>
/// The members of <see cref="IHashFunction"/> for any family with a raw hash (<see cref="IRawHash"/>): the argument
/// checks (bucket count, destinations, overlap, keys below <see cref="IRawHash.KeyCount"/>), all made before anything
/// is written, then the maps and loops of <see cref="HashBatch"/>. Every family's public members forward here, so the
/// families differ only in their hash.
/// </summary>
internal static class HashEntryPoints
{
    /// <summary><see cref="IHashFunction.Bucket"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Bucket<THash>(in THash hash, uint key, int buckets) where THash : struct, IRawHash
    {
        Guard.RequireAtLeast(buckets, 1, nameof(buckets));
        HashGuard.RequireKey(key, hash.KeyCount);
        return HashBatch.Bucket(hash.Hash(key), buckets, hash.RangeBits);
    }

    /// <summary><see cref="IHashFunction.Sign"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Sign<THash>(in THash hash, uint key) where THash : struct, IRawHash
    {
        HashGuard.RequireKey(key, hash.KeyCount);
        return HashBatch.Sign(hash.Hash(key), hash.RangeBits);
    }

    /// <summary><see cref="IHashFunction.BucketAndSign"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (int Bucket, int Sign) BucketAndSign<THash>(in THash hash, uint key, int buckets) where THash : struct, IRawHash
    {
        Guard.RequireAtLeast(buckets, 1, nameof(buckets));
        HashGuard.RequireKey(key, hash.KeyCount);
        return HashBatch.BucketAndSign(hash.Hash(key), buckets, hash.RangeBits);
    }

    /// <summary><see cref="IHashFunction.Buckets"/>.</summary>
    public static void Buckets<THash>(in THash hash, ReadOnlySpan<uint> keys, int buckets, Span<int> destination) where THash : struct, IRawHash
    {
        Guard.RequireAtLeast(buckets, 1, nameof(buckets));
        Guard.RequireDestination(destination.Length, keys.Length, nameof(destination));
        HashGuard.RequireKeys(keys, hash.KeyCount);
        HashBatch.Buckets(hash, keys, buckets, destination);
    }

    /// <summary><see cref="IHashFunction.Signs"/>.</summary>
    public static void Signs<THash>(in THash hash, ReadOnlySpan<uint> keys, Span<int> destination) where THash : struct, IRawHash
    {
        Guard.RequireDestination(destination.Length, keys.Length, nameof(destination));
        HashGuard.RequireKeys(keys, hash.KeyCount);
        HashBatch.Signs(hash, keys, destination);
    }

    /// <summary><see cref="IHashFunction.BucketsAndSigns"/>.</summary>
    public static void BucketsAndSigns<THash>(in THash hash, ReadOnlySpan<uint> keys, int buckets, Span<int> bucketDestination, Span<int> signDestination)
        where THash : struct, IRawHash
    {
        Guard.RequireAtLeast(buckets, 1, nameof(buckets));
        Guard.RequireDestination(bucketDestination.Length, keys.Length, nameof(bucketDestination));
        Guard.RequireDestination(signDestination.Length, keys.Length, nameof(signDestination));
        Guard.RequireDisjoint<int>(bucketDestination[..keys.Length], nameof(bucketDestination), signDestination[..keys.Length], nameof(signDestination));
        HashGuard.RequireKeys(keys, hash.KeyCount);
        HashBatch.BucketsAndSigns(hash, keys, buckets, bucketDestination, signDestination);
    }
}
