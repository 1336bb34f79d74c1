using Kernels.Sketching.Diagnostics;
using Kernels.Sketching.Hashing;
using Xunit.Sdk;

namespace Kernels.Testing;

/// <summary>
/// Assertions on hash functions built on Kernels.Sketching's <c>Diagnostics</c>: balanced bucket loads (Lemma 4.1 of
/// the paper, from Bellare and Rompel's tail bound) and k-wise independence (chi-square statistics with McDiarmid
/// acceptance bounds). Each states the probability with which a correct family fails it.
/// </summary>
public static class HashAssertions
{
    /// <summary>
    /// Asserts that hashing the distinct <paramref name="keys"/> into <paramref name="buckets"/> buckets loads every
    /// bucket within (1 ± δ)·N/B, δ = <see cref="BucketLoads.DeviationBound"/> at the function's
    /// <see cref="IHashFunction.Independence"/>: over the random draw of a k-wise independent function this fails with
    /// probability at most <paramref name="falseAlarm"/>, for any fixed set of distinct keys.
    /// </summary>
    /// <returns>The δ that was checked, so a caller can see how much the bound allows (above 1, the smallest load is unconstrained).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hash"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keys"/> is empty or repeats a key (the guarantee is about distinct keys).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="buckets"/> is below 1, a key is beyond the function's key count, or <paramref name="falseAlarm"/> is outside (0, 1).</exception>
    /// <exception cref="XunitException">A load lies outside (1 ± δ)·N/B.</exception>
    public static double AssertBalancedLoads<THash>(THash hash, ReadOnlySpan<uint> keys, int buckets, double falseAlarm) where THash : IHashFunction
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        RepeatedDraws.RequireProbability(falseAlarm, nameof(falseAlarm));
        if (keys.IsEmpty)
        {
            throw new ArgumentException("keys is empty; at least one key is needed.", nameof(keys));
        }
        var distinct = new HashSet<uint>(keys.Length);
        foreach (uint key in keys)
        {
            if (!distinct.Add(key))
            {
                throw new ArgumentException($"keys repeats {key}; the load bound is about distinct keys.", nameof(keys));
            }
        }
        BucketLoadStatistics loads = BucketLoads.Measure(hash, keys, buckets);
        double delta = BucketLoads.DeviationBound(hash.Independence, loads.ExpectedLoad, buckets, falseAlarm);
        if (!loads.IsWithin(delta))
        {
            throw new XunitException(
                $"{keys.Length} keys in {buckets} buckets: loads from {loads.MinLoad} to {loads.MaxLoad} around {loads.ExpectedLoad:F1}, outside (1 ± {delta:F3})·N/B, " +
                $"which a {hash.Independence}-wise independent function leaves with probability ≤ {falseAlarm:G3}.");
        }
        return delta;
    }

    /// <summary>
    /// Asserts that the bucket pairs (h(x), h(y)) of two distinct keys are uniform on B² cells over
    /// <paramref name="trials"/> independent trials (a fresh function per trial, see <see cref="IndependenceStatistics"/>):
    /// a 2-wise independent family fails with probability at most <paramref name="falseAlarm"/>
    /// (<see cref="ChiSquareStatistic.UpperBound"/>; <paramref name="bias"/> bounds how much non-uniform bucket
    /// probabilities raise E[X²]).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="trial"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range, <paramref name="falseAlarm"/> is outside (0, 1), or <paramref name="bias"/> is negative.</exception>
    /// <exception cref="XunitException">X² exceeds the bound.</exception>
    public static void AssertPairwiseIndependent<THash>(int trials, int buckets, Func<int, (THash Function, uint First, uint Second)> trial,
        double falseAlarm, double bias = 0) where THash : IHashFunction
    {
        ArgumentNullException.ThrowIfNull(trial);
        AssertUniform(IndependenceStatistics.BucketPairs(trials, buckets, trial), falseAlarm, bias, $"bucket pairs over {buckets}×{buckets} cells");
    }

    /// <summary>
    /// Asserts that the sign tuples (σ(k₀), σ(k₁), σ(k₂), σ(k₃)) of four distinct keys are uniform on 16 cells over
    /// <paramref name="trials"/> independent trials, the property CountSketch's variance bound needs: a 4-wise
    /// independent family fails with probability at most <paramref name="falseAlarm"/> (<see cref="ChiSquareStatistic.UpperBound"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="trial"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trials"/> is below 1, <paramref name="falseAlarm"/> is outside (0, 1), or <paramref name="bias"/> is negative.</exception>
    /// <exception cref="XunitException">X² exceeds the bound.</exception>
    public static void AssertFourWiseSigns<THash>(int trials, Func<int, (THash Function, uint K0, uint K1, uint K2, uint K3)> trial,
        double falseAlarm, double bias = 0) where THash : IHashFunction
    {
        ArgumentNullException.ThrowIfNull(trial);
        AssertUniform(IndependenceStatistics.SignTuples(trials, trial), falseAlarm, bias, "sign tuples of four keys over 16 cells");
    }

    /// <summary>
    /// Asserts that a chi-square statistic of equally likely cells is below <see cref="ChiSquareStatistic.UpperBound"/>:
    /// false-alarm probability at most <paramref name="falseAlarm"/> for any number of trials.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="falseAlarm"/> is outside (0, 1), or <paramref name="bias"/> is negative or not finite.</exception>
    /// <exception cref="XunitException">X² exceeds the bound.</exception>
    public static void AssertUniform(ChiSquareStatistic statistic, double falseAlarm, double bias, string context)
    {
        double bound = statistic.UpperBound(falseAlarm, bias);
        if (!(statistic.Value <= bound))
        {
            throw new XunitException(
                $"{context}: X² = {statistic.Value:F1} over {statistic.Cells} cells and {statistic.Trials} trials exceeds {bound:F1}, " +
                $"which equally likely cells exceed with probability ≤ {falseAlarm:G3}.");
        }
    }
}
