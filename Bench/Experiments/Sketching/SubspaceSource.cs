using Kernels.Randomness;

namespace Kernels.Bench.Experiments.Sketching;

/// <summary>
/// Where the subspaces of Theorem 3.2 come from: an ambient dimension N, the sketch sizes s measured there, and for a
/// seed and a dimension d an N × d basis (row-major, any full-rank basis: it is orthonormalized by the diagnostic).
/// </summary>
internal sealed record SubspaceSource(string Name, int Ambient, int[] SketchSizes, Func<ulong, int, double[]> Basis)
{
    /// <summary>A uniformly random d-dimensional subspace of R^N: the span of d standard normal vectors, from stream 7 of the seed.</summary>
    public static SubspaceSource Random(int ambient, int[] sketchSizes) =>
        new($"random subspace of R^{ambient}", ambient, sketchSizes, (seed, d) =>
        {
            var basis = new double[ambient * d];
            new CounterRandom(seed, 7).FillNormal<double>(basis, 0, 1);
            return basis;
        });
}
