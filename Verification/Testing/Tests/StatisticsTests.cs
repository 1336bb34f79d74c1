namespace Kernels.Verification.Testing;

/// <summary>The kit's statistical bounds refuse probabilities outside (0, 1), empty samples and negative variances.</summary>
public sealed class StatisticsTests
{
    [Fact]
    public void Bad_arguments_throw_naming_the_argument()
    {
        Assert.Equal("probability", Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.BernsteinDeviation(10, 1, 1, 0)).ParamName);
        Assert.Equal("variance", Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.BernsteinDeviation(10, -1, 1, 0.5)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.KolmogorovDeviation(0, 0.5)).ParamName);
        Assert.Equal("probability", Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.MedianOfMeansGroups(1)).ParamName);
        Assert.Equal("groups", Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.MedianOfMeans([1.0, 2.0], 3, 1)).ParamName);
        Assert.Equal("success", Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.BinomialUpperQuantile(10, 1, 0.5)).ParamName);
        // A valid call still answers with the closed form √(ln(2/p) / 2n).
        Assert.Equal(Math.Sqrt(Math.Log(2 / 0.01) / 200), Statistics.KolmogorovDeviation(100, 0.01), 15);
    }
}
