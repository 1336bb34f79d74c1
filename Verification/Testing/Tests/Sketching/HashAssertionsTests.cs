using Kernels.Sketching.Hashing;
using Xunit.Sdk;

namespace Kernels.Verification.Testing.Sketching;

/// <summary>
/// <see cref="HashAssertions"/> on correct families, which must pass (false alarm ≤ 10⁻⁶ each, the probability the
/// assertions guarantee), and on deliberately broken ones, which must fail: a function that never uses bucket 0, one
/// whose bucket ignores the key, and one whose fourth sign is the product of the other three (3-wise but not 4-wise).
/// </summary>
/// <remarks>
/// Bucket probabilities of the polynomial families deviate from uniform by at most 2/R per bucket (R = 2³¹ − 1), so the
/// 64 or 16 cell probabilities by δ ≤ 5·10⁻⁹ and E[X²] by at most T·C·Σδ² &lt; 10⁻⁶, the bias passed to the bounds.
/// </remarks>
public sealed class HashAssertionsTests
{
    private const double FalseAlarm = 1e-6;
    private const double Bias = 1e-6;
    private const int Trials = 20_000;

    /// <summary>
    /// 200 000 consecutive keys in 16 buckets with a 9-wise family: δ from the 8th-order Bellare–Rompel bound is about 0.26,
    /// so a load of 0 (μ = 12 500) fails with probability 1.
    /// </summary>
    [Fact]
    public void Balanced_loads_pass_a_nine_wise_family_and_fail_one_that_skips_a_bucket()
    {
        uint[] keys = Enumerable.Range(0, 200_000).Select(i => (uint)i).ToArray();
        IHashFunction hash = HashCase.Draw(HashFamily.Polynomial31NineWise, 0xB4D, 1);
        double delta = HashAssertions.AssertBalancedLoads(hash, keys, 16, FalseAlarm);
        Assert.InRange(delta, 0.1, 0.5);
        var error = Assert.Throws<XunitException>(() => HashAssertions.AssertBalancedLoads(new SkipsBucketZero(hash), keys, 16, FalseAlarm));
        Assert.Contains("loads from 0", error.Message);
    }

    /// <summary>Bucket pairs over 8 × 8 cells; a bucket that ignores the key puts every pair on the diagonal: X² = 7·T = 1.4·10⁵ against a bound of about 1.5·10³.</summary>
    [Fact]
    public void Pairwise_independence_passes_a_pairwise_family_and_fails_one_that_ignores_the_key()
    {
        HashAssertions.AssertPairwiseIndependent(Trials, 8, t => (HashCase.Draw(HashFamily.Polynomial31Pairwise, 0xB4E, (ulong)t), 1u, 2u), FalseAlarm, Bias);
        Assert.Throws<XunitException>(() => HashAssertions.AssertPairwiseIndependent(Trials, 8,
            t => ((IHashFunction)new IgnoresKey(HashCase.Draw(HashFamily.Polynomial31Pairwise, 0xB4E, (ulong)t)), 1u, 2u), FalseAlarm, Bias));
    }

    /// <summary>Sign tuples over 16 cells; the broken family fills only the 8 cells of even parity: X² = 16·T = 3.2·10⁵ against about 1.8·10².</summary>
    [Fact]
    public void Four_wise_signs_pass_a_four_wise_family_and_fail_one_whose_fourth_sign_is_determined()
    {
        HashAssertions.AssertFourWiseSigns(Trials, t => (HashCase.Draw(HashFamily.Polynomial31FourWise, 0xB4F, (ulong)t), 1u, 2u, 3u, 4u), FalseAlarm, Bias);
        Assert.Throws<XunitException>(() => HashAssertions.AssertFourWiseSigns(Trials,
            t => ((IHashFunction)new DeterminedFourthSign(HashCase.Draw(HashFamily.Polynomial31FourWise, 0xB4F, (ulong)t)), 1u, 2u, 3u, 4u), FalseAlarm, Bias));
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        IHashFunction hash = HashCase.Draw(HashFamily.MultiplyShift, 1, 1);
        Assert.Throws<ArgumentNullException>("hash", () => HashAssertions.AssertBalancedLoads<IHashFunction>(null!, [1u], 2, FalseAlarm));
        Assert.Throws<ArgumentException>("keys", () => HashAssertions.AssertBalancedLoads(hash, [], 2, FalseAlarm));
        Assert.Throws<ArgumentException>("keys", () => HashAssertions.AssertBalancedLoads(hash, [1u, 2u, 1u], 2, FalseAlarm));
        Assert.Throws<ArgumentOutOfRangeException>("buckets", () => HashAssertions.AssertBalancedLoads(hash, [1u], 0, FalseAlarm));
        Assert.Throws<ArgumentOutOfRangeException>("falseAlarm", () => HashAssertions.AssertBalancedLoads(hash, [1u], 2, 1));
        Assert.Throws<ArgumentNullException>("trial", () => HashAssertions.AssertPairwiseIndependent<IHashFunction>(10, 2, null!, FalseAlarm));
        Assert.Throws<ArgumentOutOfRangeException>("trials", () => HashAssertions.AssertFourWiseSigns(0, t => (hash, 1u, 2u, 3u, 4u), FalseAlarm));
    }

    /// <summary>Forwards every call, then moves bucket 0's keys to bucket 1.</summary>
    private sealed class SkipsBucketZero(IHashFunction inner) : ForwardingHash(inner)
    {
        public override int Bucket(uint key, int buckets) => Move(Inner.Bucket(key, buckets), buckets);

        public override void Buckets(ReadOnlySpan<uint> keys, int buckets, Span<int> destination)
        {
            Inner.Buckets(keys, buckets, destination);
            foreach (ref int b in destination[..keys.Length])
            {
                b = Move(b, buckets);
            }
        }

        private static int Move(int bucket, int buckets) => bucket == 0 ? 1 % buckets : bucket;
    }

    /// <summary>Hashes every key as key 0.</summary>
    private sealed class IgnoresKey(IHashFunction inner) : ForwardingHash(inner)
    {
        public override int Bucket(uint key, int buckets) => Inner.Bucket(0, buckets);
    }

    /// <summary>σ(4) = σ(1)·σ(2)·σ(3): any three of the four signs are independent, all four are not.</summary>
    private sealed class DeterminedFourthSign(IHashFunction inner) : ForwardingHash(inner)
    {
        public override int Sign(uint key) => key == 4 ? Inner.Sign(1) * Inner.Sign(2) * Inner.Sign(3) : Inner.Sign(key);
    }

    /// <summary>A hash function that forwards to another; the broken families above override what they break.</summary>
    private abstract class ForwardingHash(IHashFunction inner) : IHashFunction
    {
        protected IHashFunction Inner { get; } = inner;

        public int Independence => Inner.Independence;

        public ulong KeyCount => Inner.KeyCount;

        public virtual int Bucket(uint key, int buckets) => Inner.Bucket(key, buckets);

        public virtual int Sign(uint key) => Inner.Sign(key);

        public (int Bucket, int Sign) BucketAndSign(uint key, int buckets) => (Bucket(key, buckets), Sign(key));

        public virtual void Buckets(ReadOnlySpan<uint> keys, int buckets, Span<int> destination)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                destination[i] = Bucket(keys[i], buckets);
            }
        }

        public void Signs(ReadOnlySpan<uint> keys, Span<int> destination)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                destination[i] = Sign(keys[i]);
            }
        }

        public void BucketsAndSigns(ReadOnlySpan<uint> keys, int buckets, Span<int> bucketDestination, Span<int> signDestination)
        {
            Buckets(keys, buckets, bucketDestination);
            Signs(keys, signDestination);
        }
    }
}
