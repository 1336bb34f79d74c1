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
        var keys = new uint[Batch];
        var targets = new int[Batch];
        for (int done = 0; done < keyCount; done += Batch)
        {
            int n = Math.Min(Batch, keyCount - done);
            for (int i = 0; i < n; i++)
            {
                keys[i] = firstKey + (uint)(done + i);
            }
            Count(hash, keys.AsSpan(0, n), buckets, targets, loads);
        }
        return new BucketLoadStatistics(keyCount, buckets, loads.Min(), loads.Max());
    }

    /// <summary>
    /// Hashes the given <paramref name="keys"/> into <paramref name="buckets"/> buckets and counts the loads: the same
    /// statistics for any key set, such as random keys, where consecutive keys would favour a function that maps an
    /// arithmetic progression evenly (multiply-shift does). A key that appears twice is counted twice; Lemma 4.1 is
    /// about distinct keys.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="buckets"/> is not positive, or a key is not below the function's <see cref="IHashFunction.KeyCount"/>; nothing is hashed then.</exception>
    public static BucketLoadStatistics Measure<THash>(THash hash, ReadOnlySpan<uint> keys, int buckets) where THash : IHashFunction
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        for (int i = 0; i < keys.Length; i++)
        {
            if (keys[i] >= hash.KeyCount)
            {
                throw new ArgumentOutOfRangeException(nameof(keys), keys[i], $"keys[{i}] = {keys[i]} is not below the function's key count {hash.KeyCount}.");
            }
        }
        var loads = new long[buckets];
        var targets = new int[Math.Min(Batch, Math.Max(keys.Length, 1))];
        for (int done = 0; done < keys.Length; done += Batch)
        {
            Count(hash, keys.Slice(done, Math.Min(Batch, keys.Length - done)), buckets, targets, loads);
        }
        return new BucketLoadStatistics(keys.Length, buckets, loads.Min(), loads.Max());
    }

    private const int Batch = 4096;

    private static void Count<THash>(THash hash, ReadOnlySpan<uint> keys, int buckets, int[] targets, long[] loads) where THash : IHashFunction
    {
        Span<int> batch = targets.AsSpan(0, keys.Length);
        hash.Buckets(keys, buckets, batch);
        foreach (int target in batch)
        {
            loads[target]++;
        }
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

    /// <summary>
    /// The relative deviation δ that <see cref="TailBound"/> guarantees for all <paramref name="buckets"/> loads at once:
    /// with probability at least 1 − <paramref name="failureProbability"/>, every load lies in [(1 − δ)·μ, (1 + δ)·μ]
    /// (compare with <see cref="BucketLoadStatistics.IsWithin"/>; Lemma 4.1 of the paper asks for δ = 0.1).
    /// </summary>
    /// <remarks>
    /// It solves B·8·((k·μ + k²)/(δ·μ)²)^(k/2) = p for δ: δ = √((k·μ + k²)·(8·B/p)^(2/k)) / μ. A k-wise independent
    /// family is also k′-wise independent for every k′ ≤ k, so the result is the smallest δ over the even orders
    /// k′ = 2, 4, …, k (an odd k uses k − 1, as in <see cref="TailBound"/>): a high order pays off only when μ is large
    /// against k′, which is why Lemma 4.1 needs B ≲ N/log N. A δ above 1 says the bound guarantees nothing about the
    /// smallest load.
    /// </remarks>
    /// <param name="independence">k, at least 2: the independence of the hash family.</param>
    /// <param name="mean">μ = N/B, every bucket's expected load; positive and finite.</param>
    /// <param name="buckets">B, at least 1: the union bound runs over every bucket.</param>
    /// <param name="failureProbability">p in (0, 1]: the probability with which the guarantee may fail.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="independence"/> is below 2, <paramref name="buckets"/> below 1,
    /// <paramref name="mean"/> not positive and finite, or <paramref name="failureProbability"/> outside (0, 1].</exception>
    public static double DeviationBound(int independence, double mean, int buckets, double failureProbability)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(independence, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        if (!(double.IsFinite(mean) && mean > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean load must be positive and finite.");
        }
        if (!(failureProbability > 0 && failureProbability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(failureProbability), failureProbability, "The failure probability must lie in (0, 1].");
        }
        double best = double.PositiveInfinity;
        for (int k = 2; k <= independence; k += 2)
        {
            // In logarithms: (8·B/p)^(2/k) overflows a double for small p and large B at k = 2.
            double logSquare = Math.Log(k * mean + (double)k * k) + 2.0 / k * (Math.Log(8.0 * buckets) - Math.Log(failureProbability));
            best = Math.Min(best, Math.Exp(0.5 * logSquare) / mean);
        }
        return best;
    }
}
