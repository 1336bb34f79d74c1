using Kernels.Blas;
using Kernels.Sketching.Diagnostics;

namespace Kernels.Verification.Sketching.Diagnostics;

/// <summary>The diagnostics on inputs whose answers are known in closed form.</summary>
public sealed class DiagnosticsTests
{
    [Fact]
    public void Chi_square_matches_Pearson_and_its_bound_formula()
    {
        ChiSquareStatistic even = IndependenceStatistics.Uniform([25, 25, 25, 25]);
        Assert.Equal((0.0, 4, 100L, 3), (even.Value, even.Cells, even.Trials, even.DegreesOfFreedom));
        ChiSquareStatistic skewed = IndependenceStatistics.Uniform([40, 10, 25, 25]);
        Assert.Equal((15.0 * 15 + 15 * 15) / 25, skewed.Value, 12);
        double bound = (Math.Sqrt(3) + Math.Sqrt(4 * Math.Log(1e6))) * (Math.Sqrt(3) + Math.Sqrt(4 * Math.Log(1e6)));
        Assert.Equal(bound, even.UpperBound(1e-6), 12);
        Assert.True(even.IsConsistentWithUniform(1e-6));
        Assert.False(IndependenceStatistics.Uniform([100, 0, 0, 0]).IsConsistentWithUniform(1e-6) && IndependenceStatistics.Uniform([1000, 0, 0, 0]).IsConsistentWithUniform(1e-6));
        Assert.Throws<ArgumentException>("counts", () => IndependenceStatistics.Uniform([5]));
        Assert.Throws<ArgumentException>("counts", () => IndependenceStatistics.Uniform([0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>("falseAlarmProbability", () => even.UpperBound(0));
    }

    [Fact]
    public void Distance_ratios_of_a_known_map()
    {
        // Points (columns) e₀, e₁, 2e₀ in R²; the "sketch" doubles the first coordinate and keeps the second.
        double[] original = [1, 0, 2, 0, 1, 0];
        double[] embedded = [2, 0, 4, 0, 1, 0];
        DistanceRatioRange range = DistanceRatios.PairwiseSquared(new ReadOnlyMatrixView<double>(original, 2, 3), new ReadOnlyMatrixView<double>(embedded, 2, 3));
        // Pairs: (e₀, e₁): (4 + 1)/2; (e₀, 2e₀): 4/1; (e₁, 2e₀): (16 + 1)/5.
        Assert.Equal((2.5, 4.0, 3), (range.Min, range.Max, range.Pairs));
        Assert.False(range.IsWithin(0.2));
        DistanceRatioRange same = DistanceRatios.PairwiseSquared(new ReadOnlyMatrixView<double>(original, 2, 3), new ReadOnlyMatrixView<double>(original, 2, 3));
        Assert.True(same.IsWithin(1e-12));
        Assert.Throws<ArgumentException>("embedded", () => DistanceRatios.PairwiseSquared(new ReadOnlyMatrixView<double>(original, 2, 3), new ReadOnlyMatrixView<double>(embedded, 3, 2)));
    }

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
