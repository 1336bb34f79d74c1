using Kernels.Blas;
using Kernels.Sketching.Operators;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Operators;

/// <summary>
/// E⟨Sx, Sy⟩ = ⟨x, y⟩ for every operator, over independent seeds, with a stated false-failure probability.
/// </summary>
/// <remarks>
/// <para>The estimate is a median of means (<see cref="Statistics.MedianOfMeans"/>), whose guarantee needs only a
/// variance bound, since ⟨Sx, Sy⟩ is unbounded for the Gaussian sketch. Var⟨Sx, Sy⟩ ≤ 3‖x‖²‖y‖²/s′ for all four, with
/// s′ = t·⌊s/t⌋ for OSNAP (t blocks) and s′ = s otherwise:
/// Gaussian: (‖x‖²‖y‖² + ⟨x,y⟩²)/s; CountSketch (2-wise rows, 4-wise signs): at most the same; OSNAP: a mean of t
/// independent CountSketches of ⌊s/t⌋ or more rows, at most 2‖x‖²‖y‖²/s′; SRHT: given D the sum over s rows sampled
/// without replacement has variance at most (N′/s)·Σᵣ uᵣ²vᵣ² (u = HDx/√N′), and E uᵣ⁴ ≤ 3‖x‖⁴/N′² for Rademacher sums
/// (Khintchine), so E Σᵣ uᵣ²vᵣ² ≤ 3‖x‖²‖y‖²/N′. The constant 3 also covers the ≤ 10⁻⁸ relative bias of the bucket maps.</para>
/// <para>Four assertions share 10⁻⁶: each uses g = ⌈8·ln(4·10⁶)⌉ = 122 → 123 groups (exp(−123/8) = 2.1·10⁻⁷) of 200
/// seeds. With N = 48 (SRHT pads to 64), s = 12 and t = 3, the allowed deviation is 2·√(3/(12·200))·‖x‖‖y‖ ≈ 0.071‖x‖‖y‖,
/// against ⟨x, y⟩ ≈ 0.6‖x‖‖y‖ for the vectors used: a scale error of 12 % in S² would fail.</para>
/// </remarks>
public sealed class UnbiasednessTests
{
    private const int S = 12, N = 48, PerGroup = 200, Blocks = 3;

    public static TheoryData<SketchKind> Kinds() => new(Enum.GetValues<SketchKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Inner_products_are_preserved_in_expectation(SketchKind kind)
    {
        int groups = Statistics.MedianOfMeansGroups(1e-6 / 4);
        double[] x = SampleData.Vector<double>(N, ValueKind.Uniform, 1).ToArray();
        double[] y = x.Zip(SampleData.Vector<double>(N, ValueKind.Uniform, 2).ToArray(), (a, b) => a + 0.8 * b).ToArray();
        double xy = x.Zip(y, (a, b) => a * b).Sum(), xx = x.Sum(v => v * v), yy = y.Sum(v => v * v);
        Assert.True(xy > 0.5 * Math.Sqrt(xx * yy), "the vectors should be well correlated for the test to be sensitive");

        // x and y as the two columns of one N × 2 matrix, sketched together.
        double[] pair = x.Zip(y, (a, b) => new[] { a, b }).SelectMany(p => p).ToArray();
        var estimates = new double[groups * PerGroup];
        var sketched = new double[S * 2];
        for (int t = 0; t < estimates.Length; t++)
        {
            ISketch<double> sketch = SketchCase.Of(kind, S, N, Blocks).Sample<double>((ulong)t + 0x0B1A5);
            sketch.Apply(new ReadOnlyMatrixView<double>(pair, N, 2), new MatrixView<double>(sketched, S, 2));
            double estimate = 0;
            for (int i = 0; i < S; i++)
            {
                estimate += sketched[2 * i] * sketched[2 * i + 1];
            }
            estimates[t] = estimate;
        }
        int effectiveRows = kind == SketchKind.SparseEmbedding ? Blocks * (S / Blocks) : S;
        var (median, deviation) = Statistics.MedianOfMeans(estimates, groups, 3 * xx * yy / effectiveRows);
        Assert.True(Math.Abs(median - xy) < deviation,
            $"{kind}: median of means {median:F4}, expected ⟨x, y⟩ = {xy:F4}; deviation {Math.Abs(median - xy):F4} ≥ allowed {deviation:F4}.");
    }
}
