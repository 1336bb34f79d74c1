using Kernels.Training.Data;

namespace Kernels.Verification.Training.Data;

public sealed class SyntheticSequencesTests
{
    /// <summary>The draw meets the theorem's assumptions: unit-norm first tokens at least δ apart, later tokens of norm ≤ 1.</summary>
    [Fact]
    public void MeetsTheSeedsAssumptions()
    {
        const int n = 40, length = 6, dx = 16;
        var set = SyntheticSequences.Separable<double>(n, length, dx, 3, 5, separation: 0.5);
        double closest = double.PositiveInfinity;
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(1.0, Norm(set.InputsAt(1).Row(i)), 1e-12);
            for (int step = 2; step <= length; step++)
            {
                Assert.True(Norm(set.InputsAt(step).Row(i)) <= 1 + 1e-12);
            }
            for (int j = 0; j < i; j++)
            {
                double squares = 0;
                for (int k = 0; k < dx; k++)
                {
                    double difference = set.InputsAt(1)[i, k] - set.InputsAt(1)[j, k];
                    squares += difference * difference;
                }
                closest = Math.Min(closest, Math.Sqrt(squares));
            }
        }
        Assert.True(closest >= 0.5, $"closest first tokens {closest}");
        Assert.True(set.Targets.Data.SequenceEqual(SyntheticSequences.Separable<double>(n, length, dx, 3, 5, separation: 0.5).Targets.Data));
    }

    /// <summary>A δ the draw cannot meet (two dimensions, many points: some pair is closer than 2π/n on the circle) throws.</summary>
    [Fact]
    public void UnmetSeparationThrows()
    {
        Assert.Contains("apart", Assert.Throws<ArgumentOutOfRangeException>("separation", () => SyntheticSequences.Separable<float>(50, 3, 2, 1, 1, separation: 0.2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>("separation", () => SyntheticSequences.Separable<float>(5, 3, 4, 1, 1, separation: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("length", () => SyntheticSequences.Separable<float>(5, 0, 4, 1, 1));
    }

    private static double Norm(ReadOnlySpan<double> x)
    {
        double squares = 0;
        foreach (double v in x)
        {
            squares += v * v;
        }
        return Math.Sqrt(squares);
    }
}
