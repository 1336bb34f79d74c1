using Kernels.Sketching.Operators;

namespace Kernels.Bench.Experiments.Sketching;

/// <summary>A sketch distribution of the experiment, by name: how to make its s × N distribution.</summary>
internal sealed record SketchKind(string Name, Func<int, int, SketchDistribution> Make)
{
    /// <summary>The sketches Theorem 3.2 and the sketched layer are measured with: CountSketch, OSNAP with 4 and 8 nonzeros per column, Gaussian and SRHT.</summary>
    public static IReadOnlyList<SketchKind> All { get; } =
    [
        new("CountSketch", (s, n) => new CountSketchDistribution(s, n)),
        new("OSNAP t=4", (s, n) => new SparseEmbeddingDistribution(s, n, 4)),
        new("OSNAP t=8", (s, n) => new SparseEmbeddingDistribution(s, n, 8)),
        new("Gaussian", (s, n) => new GaussianDistribution(s, n)),
        new("SRHT", (s, n) => new SrhtDistribution(s, n)),
    ];
}
