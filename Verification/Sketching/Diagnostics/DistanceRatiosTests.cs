using Kernels.Blas;
using Kernels.Sketching.Diagnostics;

namespace Kernels.Verification.Sketching.Diagnostics;

/// <summary><see cref="DistanceRatios"/> on a map whose ratios are known in closed form.</summary>
public sealed class DistanceRatiosTests
{
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
}
