using Kernels.Sketching.Hashing;

namespace Kernels.Sketching.Diagnostics;

/// <summary>
/// Bucket-load statistics of a hash function, and the tail bound that Lemma 4.1 of the paper rests on, so that a test
/// can state the probability that a correct k-wise independent family fails it.
/// </summary>
public static class BucketLoads
{
    /// <summary>Hashes the keys <paramref name="firstKey"/> … firstKey + keyCount − 1 into <paramref name="buckets"/> buckets and counts the loads.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keyCount"/> is negative, <paramref name="buckets"/> is not positive, or a key is out of the function's range.</exception>
    public static BucketLoadStatistics Measure<THash>(THash hash, uint firstKey, int keyCount, int buckets) where THash : IHashFunction
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keyCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        if (firstKey + (ulong)keyCount > hash.KeyCount)
        {
            throw new ArgumentOutOfRangeException(nameof(keyCount), keyCount, $"keys {firstKey} … {firstKey + (ulong)keyCount - 1} pass the function's key count {hash.KeyCount}.");
        }
        var loads = new long[buckets];
        const int batch = 4096;
        var keys = new uint[batch];
        var targets = new int[batch];
        for (int done = 0; done < keyCount; done += batch)
        {
            int n = Math.Min(batch, keyCount - done);
            for (int i = 0; i < n; i++)
            {
                keys[i] = firstKey + (uint)(done + i);
            }
            hash.Buckets(keys.AsSpan(0, n), buckets, targets);
            for (int i = 0; i < n; i++)
            {
                loads[targets[i]]++;
            }
        }
        return new BucketLoadStatistics(keyCount, buckets, loads.Min(), loads.Max());
    }

    /// <summary>
    /// Bellare and Rompel's tail bound (Theorem C.1 of the paper): for X a sum of k-wise independent variables in [0, 1]
    /// with mean μ, P(|X − μ| &gt; a) &lt; 8·((k·μ + k²)/a²)^(k/2), k even. An odd k uses k − 1, for which the family
    /// is also independent. A union bound over B buckets multiplies it by B.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="independence"/> is below 2, or the mean or deviation is not positive and finite.</exception>
    public static double TailBound(int independence, double mean, double deviation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(independence, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mean);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(deviation);
        ArgumentOutOfRangeException.ThrowIfEqual(mean, double.PositiveInfinity);
        ArgumentOutOfRangeException.ThrowIfEqual(deviation, double.PositiveInfinity);
        int k = independence - independence % 2;
        return 8 * Math.Pow((k * mean + (double)k * k) / (deviation * deviation), k / 2.0);
    }
}
