using Kernels.Sketching.Hashing;

namespace Kernels.Sketching.Diagnostics;

/// <summary>
/// Chi-square statistics of k-wise independence. Independence is a property of the random draw of the function, so
/// each trial should draw a fresh function (another seed or stream) and hash a fixed tuple of distinct keys; for
/// tabulation, trials may instead reuse a function on key tuples that touch disjoint table entries, which are
/// independent just the same. The trial delegate says which.
/// </summary>
/// <remarks>
/// <para>2-wise: the bucket pair (h(x), h(y)) of two distinct keys is uniform on B² cells. 4-wise signs: the sign
/// tuple of four distinct keys is uniform on 16 cells, and in particular their product is ±1 with probability ½ each —
/// the property CountSketch's variance bound needs and 3-wise families lack.</para>
/// <para>See <see cref="ChiSquareStatistic.UpperBound"/> for acceptance bounds with a stated false-alarm probability.</para>
/// </remarks>
public static class IndependenceStatistics
{
    /// <summary>X² of counts that should be equally likely.</summary>
    /// <exception cref="ArgumentException">There are fewer than two cells, or no trials.</exception>
    public static ChiSquareStatistic Uniform(ReadOnlySpan<long> counts)
    {
        if (counts.Length < 2)
        {
            throw new ArgumentException($"counts has {counts.Length} cells; at least 2 are needed.", nameof(counts));
        }
        long trials = 0;
        foreach (long c in counts)
        {
            trials += c;
        }
        if (trials == 0)
        {
            throw new ArgumentException("counts holds no trials.", nameof(counts));
        }
        double expected = (double)trials / counts.Length, sum = 0;
        foreach (long c in counts)
        {
            sum += (c - expected) * (c - expected) / expected;
        }
        return new ChiSquareStatistic(sum, counts.Length, trials);
    }

    /// <summary>X² of the bucket pairs (h(x), h(y)) over B² cells, one pair per trial.</summary>
    /// <param name="trials">The number of trials, at least 1.</param>
    /// <param name="buckets">B, at least 1 (B² ≥ 2 cells).</param>
    /// <param name="trial">The function and the two distinct keys of trial t.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    public static ChiSquareStatistic BucketPairs<THash>(int trials, int buckets, Func<int, (THash Function, uint First, uint Second)> trial)
        where THash : IHashFunction
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 2);
        var counts = new long[buckets * buckets];
        for (int t = 0; t < trials; t++)
        {
            var (function, first, second) = trial(t);
            counts[function.Bucket(first, buckets) * buckets + function.Bucket(second, buckets)]++;
        }
        return Uniform(counts);
    }

    /// <summary>X² of the sign tuples (σ(k₀), σ(k₁), σ(k₂), σ(k₃)) over 16 cells, one tuple per trial.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trials"/> is below 1.</exception>
    public static ChiSquareStatistic SignTuples<THash>(int trials, Func<int, (THash Function, uint K0, uint K1, uint K2, uint K3)> trial)
        where THash : IHashFunction
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        var counts = new long[16];
        for (int t = 0; t < trials; t++)
        {
            var (f, k0, k1, k2, k3) = trial(t);
            counts[Bit(f.Sign(k0)) | Bit(f.Sign(k1)) << 1 | Bit(f.Sign(k2)) << 2 | Bit(f.Sign(k3)) << 3]++;
        }
        return Uniform(counts);
    }

    /// <summary>X² of the sign products σ(k₀)σ(k₁)σ(k₂)σ(k₃) over the two cells ±1, one product per trial.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trials"/> is below 1.</exception>
    public static ChiSquareStatistic SignProducts<THash>(int trials, Func<int, (THash Function, uint K0, uint K1, uint K2, uint K3)> trial)
        where THash : IHashFunction
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        var counts = new long[2];
        for (int t = 0; t < trials; t++)
        {
            var (f, k0, k1, k2, k3) = trial(t);
            counts[Bit(f.Sign(k0) * f.Sign(k1) * f.Sign(k2) * f.Sign(k3))]++;
        }
        return Uniform(counts);
    }

    private static int Bit(int sign) => sign < 0 ? 1 : 0;
}
