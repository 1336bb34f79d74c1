using Kernels.Sketching.Diagnostics;

namespace Kernels.Verification.Sketching.Diagnostics;

/// <summary><see cref="BucketLoads"/>' tail and deviation bounds against their closed forms.</summary>
public sealed class BucketLoadsTests
{
    [Fact]
    public void Tail_bound_is_Bellare_Rompel()
    {
        Assert.Equal(8 * Math.Pow((12 * 40_000.0 + 144) / (4_000.0 * 4_000), 6), BucketLoads.TailBound(12, 40_000, 4_000), 15);
        Assert.Equal(BucketLoads.TailBound(4, 100, 50), BucketLoads.TailBound(5, 100, 50));
        Assert.Throws<ArgumentOutOfRangeException>("independence", () => BucketLoads.TailBound(1, 1, 1));
    }

    [Fact]
    public void Deviation_bound_inverts_the_union_of_tail_bounds_at_the_best_even_order()
    {
        foreach ((int k, double mean, int buckets, double p) in new[] { (2, 1e4, 16, 0.01), (5, 300.0, 1000, 1e-6), (20, 5000.0, 3000, 0.01), (24, 24.0, 1 << 20, 0.5) })
        {
            double delta = BucketLoads.DeviationBound(k, mean, buckets, p);
            // At δ·μ the union bound over B buckets is at least p for every even order k′ ≤ k, and equals p for the best one.
            double[] unions = Enumerable.Range(1, k / 2).Select(h => buckets * BucketLoads.TailBound(2 * h, mean, delta * mean)).ToArray();
            Assert.All(unions, u => Assert.True(u >= p * (1 - 1e-9), $"k = {k}: a union bound {u} below p = {p} at δ = {delta}."));
            Assert.Equal(p, unions.Min(), p * 1e-9);
        }
        // k = 2 by hand: δ = √((2μ + 4)·8B/p)/μ.
        Assert.Equal(Math.Sqrt((2 * 1e4 + 4) * 8 * 16 / 0.01) / 1e4, BucketLoads.DeviationBound(2, 1e4, 16, 0.01), 12);
        Assert.Equal(BucketLoads.DeviationBound(4, 100, 10, 0.1), BucketLoads.DeviationBound(5, 100, 10, 0.1));
        Assert.True(BucketLoads.DeviationBound(8, 1e5, 64, 0.01) < BucketLoads.DeviationBound(8, 1e4, 64, 0.01));
        Assert.Throws<ArgumentOutOfRangeException>("independence", () => BucketLoads.DeviationBound(1, 10, 10, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>("buckets", () => BucketLoads.DeviationBound(2, 10, 0, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>("mean", () => BucketLoads.DeviationBound(2, double.NaN, 10, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>("mean", () => BucketLoads.DeviationBound(2, 0, 10, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>("failureProbability", () => BucketLoads.DeviationBound(2, 10, 10, 0));
        Assert.Throws<ArgumentOutOfRangeException>("failureProbability", () => BucketLoads.DeviationBound(2, 10, 10, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>("failureProbability", () => BucketLoads.DeviationBound(2, 10, 10, double.NaN));
    }
}
