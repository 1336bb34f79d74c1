using Kernels.Sketching.Diagnostics;

namespace Kernels.Verification.Sketching.Diagnostics;

/// <summary><see cref="IndependenceStatistics"/> and its <see cref="ChiSquareStatistic"/> on counts whose statistic is known in closed form.</summary>
public sealed class IndependenceStatisticsTests
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
}
