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
}
