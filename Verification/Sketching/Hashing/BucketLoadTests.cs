using Kernels.Randomness;
using Kernels.Sketching.Diagnostics;
using Kernels.Sketching.Hashing;

namespace Kernels.Verification.Sketching.Hashing;

/// <summary>
/// Lemma 4.1 of the paper: with t = Θ(log N)-wise independent hashing of N keys into B ≲ N/log N buckets, every load
/// lies in [0.9, 1.1]·N/B with high probability. Here N = 1 280 000 keys, B = 32 buckets (N/B = 40 000 = 1.1·10⁴ ≫ log N)
/// and t = 12 ≈ ln N = 14.1, with both polynomial fields (fixed seeds).
/// </summary>
/// <remarks>
/// Failure probability for a correct 12-wise family, from Bellare–Rompel (Theorem C.1, <see cref="BucketLoads.TailBound"/>):
/// one bucket's load X has mean μ = N/B (within N·2/p ≤ 10⁻³ of it, absorbed by taking a = 0.1·N/B − 10⁻³), and
/// P(|X − μ| &gt; a) &lt; 8·((12·40 000 + 144)/(4 000)²)⁶ = 8·0.0300⁶ ≈ 5.8·10⁻⁹; over 32 buckets and the two fields
/// the test fails with probability below 2·32·5.8·10⁻⁹ ≈ 3.7·10⁻⁷ &lt; 10⁻⁶ (asserted below from the same formula).
/// </remarks>
public sealed class BucketLoadTests
{
    private const int Keys = 1_280_000;
    private const int Buckets = 32;
    private const int Independence = 12;

    [Fact]
    public void Every_bucket_load_is_within_ten_percent_of_the_mean()
    {
        double mean = (double)Keys / Buckets;
        double failure = 2 * Buckets * BucketLoads.TailBound(Independence, mean, 0.1 * mean - 1e-3);
        Assert.True(failure < 1e-6, $"The stated failure probability {failure:E2} is not below 1e-6.");
        foreach (PrimeField field in new[] { PrimeField.Mersenne61, PrimeField.Mersenne31 })
        {
            var hash = new PolynomialHash(Independence, 0x10AD, 4, field);
            BucketLoadStatistics loads = BucketLoads.Measure(hash, 0, Keys, Buckets);
            Assert.True(loads.IsWithin(0.1), $"{field}: loads from {loads.MinLoad} to {loads.MaxLoad}, outside [0.9, 1.1]·{mean}.");
        }
    }

    [Fact]
    public void Load_statistics_count_every_key_once()
    {
        // Keys 0 … 999 into one bucket, and a function whose loads we can predict: a single bucket holds everything.
        BucketLoadStatistics one = BucketLoads.Measure(new MultiplyShift(1, 2), 0, 1000, 1);
        Assert.Equal((1000L, 1000L, 1.0, 1.0), (one.MinLoad, one.MaxLoad, one.MinRatio, one.MaxRatio));
        BucketLoadStatistics many = BucketLoads.Measure(new MultiplyShift(1, 2), 0, 10, 1000);
        Assert.Equal(0, many.MinLoad);
        Assert.False(many.IsWithin(0.1));
        Assert.Throws<ArgumentOutOfRangeException>("keyCount", () => BucketLoads.Measure(new PolynomialHash(4, 1, 1), int.MaxValue - 5, 10, 4));
    }

    [Fact]
    public void Loads_of_given_keys_match_a_scalar_count_and_the_range_overload()
    {
        var hash = new PolynomialHash(6, 0xB0C, 3);
        var keys = new uint[10_000];
        new CounterRandom(77, 1).FillUInt32(keys);
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] &= 0x3FFF_FFFF; // below the field's key count 2³¹ − 1
        }
        keys[1] = keys[0]; // a repeated key counts twice
        const int buckets = 37;
        var reference = new long[buckets];
        foreach (uint key in keys)
        {
            reference[hash.Bucket(key, buckets)]++;
        }
        BucketLoadStatistics loads = BucketLoads.Measure(hash, keys, buckets);
        Assert.Equal((10_000L, buckets, reference.Min(), reference.Max()), (loads.Keys, loads.Buckets, loads.MinLoad, loads.MaxLoad));

        uint[] range = Enumerable.Range(500, 9_000).Select(k => (uint)k).ToArray();
        Assert.Equal(BucketLoads.Measure(hash, 500, 9_000, buckets), BucketLoads.Measure(hash, range, buckets));
        Assert.Equal(new BucketLoadStatistics(0, 3, 0, 0), BucketLoads.Measure(hash, ReadOnlySpan<uint>.Empty, 3));

        Assert.Throws<ArgumentOutOfRangeException>("keys", () => BucketLoads.Measure(hash, [1u, 2u, (uint)int.MaxValue], buckets));
        Assert.Throws<ArgumentOutOfRangeException>("buckets", () => BucketLoads.Measure(hash, keys, 0));
    }
}
