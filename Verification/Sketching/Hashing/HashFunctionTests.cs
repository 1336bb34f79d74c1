using System.Numerics;
using Kernels.Randomness;
using Kernels.Sketching.Hashing;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Hashing;

/// <summary>
/// Every hash family against an independent reference of its definition (BigInteger arithmetic for the polynomials
/// and the bucket maps, 128-bit arithmetic for multiply-add-shift, direct table lookups for tabulation), and every
/// batch path against the scalar methods.
/// </summary>
public sealed class HashFunctionTests
{
    [Theory]
    [InlineData(0u, 1, 1)]
    [InlineData(12345u, 300, 24500)]
    [InlineData(4_000_000_000u, 37, 7)]
    [InlineData(uint.MaxValue - 20, 21, 1 << 30)]
    public void Buckets_of_a_key_range_equal_the_batch_buckets_of_its_keys(uint firstKey, int length, int bucketCount)
    {
        uint[] keys = Enumerable.Range(0, length).Select(t => firstKey + (uint)t).ToArray();
        Check(new MultiplyShift(5, 1));
        Check(TabulationHash.Simple(5, 1));
        Check(TabulationHash.ThorupZhang(5, 1));
        var multiplyShift = new MultiplyShift(9, 3);
        int[] incremental = new int[length], batch = new int[length];
        multiplyShift.Buckets(keys, bucketCount, batch);
        HashBatch.BucketsOfRange(multiplyShift, firstKey, bucketCount, incremental);
        Assert.Equal(batch, incremental);

        void Check<THash>(THash f) where THash : struct, IHashFunction, IRawHash
        {
            int[] expected = new int[length], actual = new int[length + 1];
            actual[^1] = 12345;
            f.Buckets(keys, bucketCount, expected);
            HashBatch.BucketsOfRange(f, firstKey, bucketCount, actual.AsSpan(0, length));
            Assert.Equal(expected, actual[..length]);
            Assert.Equal(12345, actual[^1]);
        }
    }

    [KernelProperty]
    public void Batch_methods_equal_the_scalar_methods(HashCase c)
    {
        IHashFunction f = c.Function();
        uint[] keys = c.Keys(f.KeyCount);
        int[] buckets = new int[c.Length + 2], signs = new int[c.Length + 2], pairBuckets = new int[c.Length + 2], pairSigns = new int[c.Length + 2];
        buckets[^1] = signs[^1] = pairBuckets[^1] = pairSigns[^1] = 12345;
        f.Buckets(keys, c.Buckets, buckets);
        f.Signs(keys, signs);
        f.BucketsAndSigns(keys, c.Buckets, pairBuckets, pairSigns);
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.Equal(f.Bucket(keys[i], c.Buckets), buckets[i]);
            Assert.Equal(f.Sign(keys[i]), signs[i]);
            Assert.Equal(f.BucketAndSign(keys[i], c.Buckets), (pairBuckets[i], pairSigns[i]));
            Assert.InRange(buckets[i], 0, c.Buckets - 1);
            Assert.InRange(pairBuckets[i], 0, c.Buckets - 1);
            Assert.True(signs[i] is 1 or -1);
            Assert.Equal(signs[i], pairSigns[i]);
        }
        Assert.Equal(12345, buckets[^1]);
        Assert.Equal(12345, pairSigns[^1]);
    }

    [KernelProperty]
    public void Buckets_and_signs_follow_the_documented_maps(HashCase c)
    {
        IHashFunction f = c.Function();
        foreach (uint key in c.Keys(f.KeyCount))
        {
            (BigInteger value, int bits) = Value(f, key);
            BigInteger range = BigInteger.One << bits;
            Assert.Equal((int)(value * c.Buckets / range), f.Bucket(key, c.Buckets));
            long w = (long)(value * 2 * c.Buckets / range);
            int upper = w >= c.Buckets ? 1 : 0;
            Assert.Equal(((int)(w - upper * c.Buckets), 1 - 2 * upper), f.BucketAndSign(key, c.Buckets));
            Assert.Equal(value * 2 >= range ? -1 : 1, f.Sign(key));
        }
    }

    [KernelProperty]
    public void Polynomial_values_equal_Horner_in_exact_arithmetic(HashCase c)
    {
        foreach (var (k, field) in new[] { (2, PrimeField.Mersenne61), (5, PrimeField.Mersenne61), (4, PrimeField.Mersenne31), (9, PrimeField.Mersenne31) })
        {
            var f = new PolynomialHash(k, (ulong)c.Seed, 3, field);
            Assert.Equal(k, f.Independence);
            foreach (ulong coefficient in f.Coefficients)
            {
                Assert.True(coefficient < f.Prime);
            }
            foreach (uint key in c.Keys(f.KeyCount))
            {
                BigInteger r = 0;
                foreach (ulong coefficient in f.Coefficients)
                {
                    r = (r * key + coefficient) % f.Prime;
                }
                Assert.Equal((ulong)r, f.Hash(key));
            }
        }
    }

    [Fact]
    public void Coefficients_are_the_documented_words_of_the_counter_generator()
    {
        var words = new uint[8];
        new CounterRandom(77, 5).FillUInt32(words);
        var f31 = new PolynomialHash(3, 77, 5, PrimeField.Mersenne31);
        Assert.Equal(new ulong[] { words[0] & 0x7FFF_FFFF, words[1] & 0x7FFF_FFFF, words[2] & 0x7FFF_FFFF }, f31.Coefficients.ToArray());
        var f61 = new PolynomialHash(2, 77, 5, PrimeField.Mersenne61);
        ulong Pair(int i) => (((ulong)words[i + 1] << 32) | words[i]) & ((1UL << 61) - 1);
        Assert.Equal(new[] { Pair(0), Pair(2) }, f61.Coefficients.ToArray());
    }

    [KernelProperty]
    public void Multiply_shift_is_the_top_half_of_a_times_x_plus_b(HashCase c)
    {
        var words = new uint[4];
        new CounterRandom((ulong)c.Seed, 11).FillUInt32(words);
        UInt128 a = ((ulong)words[1] << 32) | words[0], b = ((ulong)words[3] << 32) | words[2];
        var f = new MultiplyShift((ulong)c.Seed, 11);
        foreach (uint key in c.Keys(f.KeyCount))
        {
            Assert.Equal((uint)(((a * key + b) & ulong.MaxValue) >> 32), f.Hash(key));
        }
    }

    /// <summary>Each case builds a 1 MiB Thorup–Zhang table twice, so fewer cases.</summary>
    [KernelProperty(MaxTest = 25)]
    public void Tabulation_values_are_XORs_of_table_entries(HashCase c)
    {
        var simple = TabulationHash.Simple((ulong)c.Seed, 1);
        var thorupZhang = TabulationHash.ThorupZhang((ulong)c.Seed, 1);
        uint[] expectedTables = new uint[thorupZhang.Tables.Length];
        new CounterRandom((ulong)c.Seed, 1).FillUInt32(expectedTables);
        Assert.Equal(expectedTables.AsSpan(0, 1024).ToArray(), simple.Tables.ToArray());
        Assert.Equal(expectedTables, thorupZhang.Tables.ToArray());
        ReadOnlySpan<uint> s = simple.Tables, t = thorupZhang.Tables;
        foreach (uint key in c.Keys(1UL << 32))
        {
            Assert.Equal(s[(int)(key & 255)] ^ s[256 + (int)((key >> 8) & 255)] ^ s[512 + (int)((key >> 16) & 255)] ^ s[768 + (int)(key >> 24)], simple.Hash(key));
            uint low = key & 0xFFFF, high = key >> 16;
            Assert.Equal(t[(int)low] ^ t[65536 + (int)high] ^ t[131072 + (int)(low + high)], thorupZhang.Hash(key));
        }
    }

    [Fact]
    public void Equal_seeds_give_equal_functions_and_other_streams_other_functions()
    {
        uint[] keys = Enumerable.Range(0, 64).Select(i => (uint)(i * 1000 + 1)).ToArray();
        foreach (HashFamily family in Enum.GetValues<HashFamily>())
        {
            int[] first = Buckets(HashCase.Draw(family, 42, 7)), again = Buckets(HashCase.Draw(family, 42, 7));
            int[] otherStream = Buckets(HashCase.Draw(family, 42, 8)), otherSeed = Buckets(HashCase.Draw(family, 43, 7));
            Assert.Equal(first, again);
            // 64 keys over 2³⁰ buckets: two independent functions agree on all of them with probability 2⁻¹⁹²⁰.
            Assert.NotEqual(first, otherStream);
            Assert.NotEqual(first, otherSeed);
        }

        int[] Buckets(IHashFunction f)
        {
            var result = new int[keys.Length];
            f.Buckets(keys, 1 << 30, result);
            return result;
        }
    }

    [Fact]
    public void Bad_arguments_throw_before_anything_is_written()
    {
        var f31 = new PolynomialHash(4, 1, 2);
        var destination = new int[3] { 7, 7, 7 };
        uint[] keys = [1, 2, (uint)int.MaxValue];
        Assert.Throws<ArgumentOutOfRangeException>("keys", () => f31.Buckets(keys, 10, destination));
        Assert.Throws<ArgumentOutOfRangeException>("keys", () => f31.Signs(keys, destination));
        Assert.Throws<ArgumentOutOfRangeException>("keys", () => f31.BucketsAndSigns(keys, 10, destination, new int[3]));
        Assert.Equal(new[] { 7, 7, 7 }, destination);
        Assert.Throws<ArgumentOutOfRangeException>("key", () => f31.Hash(int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>("key", () => f31.Sign(uint.MaxValue));
        foreach (HashFamily family in Enum.GetValues<HashFamily>())
        {
            IHashFunction f = HashCase.Draw(family, 1, 1);
            Assert.Throws<ArgumentOutOfRangeException>("buckets", () => f.Bucket(0, 0));
            Assert.Throws<ArgumentOutOfRangeException>("buckets", () => f.BucketAndSign(0, -1));
            Assert.Throws<ArgumentOutOfRangeException>("buckets", () => f.Buckets([1], 0, new int[1]));
            Assert.Throws<ArgumentException>("destination", () => f.Buckets([1, 2], 3, new int[1]));
            Assert.Throws<ArgumentException>("signDestination", () => f.BucketsAndSigns([1, 2], 3, new int[2], new int[1]));
        }
        Assert.Throws<ArgumentOutOfRangeException>("independence", () => new PolynomialHash(1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>("independence", () => new PolynomialHash(PolynomialHash.MaxIndependence + 1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>("field", () => new PolynomialHash(4, 0, 0, (PrimeField)7));
    }

    /// <summary>The documented hash value of a key and b with R ≤ 2^b.</summary>
    private static (BigInteger Value, int Bits) Value(IHashFunction f, uint key) => f switch
    {
        MultiplyShift m => (m.Hash(key), 32),
        PolynomialHash p => (p.Hash(key), p.Field == PrimeField.Mersenne61 ? 61 : 31),
        TabulationHash t => (t.Hash(key), 32),
        _ => throw new InvalidOperationException(f.GetType().Name),
    };
}
