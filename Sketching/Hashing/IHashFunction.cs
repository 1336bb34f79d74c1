namespace Kernels.Sketching.Hashing;

/// <summary>
/// One function drawn from a hash family with a stated independence: it maps 32-bit keys to buckets in
/// [0, B) and to signs ±1, one key at a time or a span at a time.
/// </summary>
/// <remarks>
/// <para><b>Independence.</b> A family is k-wise independent (<see cref="Independence"/> = k) when, over the random
/// draw of the function, any k distinct keys are mapped to independent values, each uniform. Buckets, signs and
/// bucket–sign pairs inherit this: each is a fixed map of one uniform hash value.</para>
/// <para><b>Buckets and signs from one hash.</b> <see cref="BucketAndSign"/> maps the hash value to [0, 2B) and splits
/// that into a sign (upper or lower half) and a bucket (position in the half). A pair of values drawn this way is
/// jointly k-wise independent over keys, which is what a CountSketch column or a HashedNets weight needs from one
/// evaluation. Its sign always equals <see cref="Sign"/>; its bucket is a different map from <see cref="Bucket"/>.</para>
/// <para><b>Uniformity.</b> A hash value uniform on [0, R) is mapped to [0, m) by ⌊v·m / 2^b⌋ (multiply-high, the
/// "fast range" map), where 2^b is R rounded up to a power of two. Each bucket then has probability within
/// 2/R of 1/m (2⁻³² for 32-bit values, where R = 2^b). Each family documents its R.</para>
/// <para><b>Determinism.</b> A function is fixed by its family's parameters and (seed, stream): its coefficients or
/// tables are drawn from <see cref="Kernels.Randomness.CounterRandom"/>, so the same arguments give the same function on
/// every machine, and every path (512-bit, 256-bit, scalar) gives the same values.</para>
/// <para>Implementations are immutable and safe to use from several threads at once.</para>
/// </remarks>
public interface IHashFunction
{
    /// <summary>k: any k distinct keys are hashed independently.</summary>
    int Independence { get; }

    /// <summary>Keys must be below this number (2³² when every 32-bit key is allowed).</summary>
    ulong KeyCount { get; }

    /// <summary>The bucket of <paramref name="key"/> in [0, <paramref name="buckets"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="buckets"/> is not positive, or the key is not below <see cref="KeyCount"/>.</exception>
    int Bucket(uint key, int buckets);

    /// <summary>The sign of <paramref name="key"/>: +1 or −1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The key is not below <see cref="KeyCount"/>.</exception>
    int Sign(uint key);

    /// <summary>A bucket in [0, <paramref name="buckets"/>) and a sign ±1 from one hash evaluation, jointly k-wise independent.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="buckets"/> is not positive, or the key is not below <see cref="KeyCount"/>.</exception>
    (int Bucket, int Sign) BucketAndSign(uint key, int buckets);

    /// <summary>Writes <see cref="Bucket"/> of every key to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="buckets"/> is not positive, or a key is not below <see cref="KeyCount"/> (checked before anything is written).</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="keys"/>.</exception>
    void Buckets(ReadOnlySpan<uint> keys, int buckets, Span<int> destination);

    /// <summary>Writes <see cref="Sign"/> of every key to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A key is not below <see cref="KeyCount"/> (checked before anything is written).</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="keys"/>.</exception>
    void Signs(ReadOnlySpan<uint> keys, Span<int> destination);

    /// <summary>Writes <see cref="BucketAndSign"/> of every key to the two destinations.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="buckets"/> is not positive, or a key is not below <see cref="KeyCount"/> (checked before anything is written).</exception>
    /// <exception cref="ArgumentException">A destination is shorter than <paramref name="keys"/>, or the two destinations share memory.</exception>
    void BucketsAndSigns(ReadOnlySpan<uint> keys, int buckets, Span<int> bucketDestination, Span<int> signDestination);
}
