using Kernels.Randomness;
using Kernels.Training.Data;

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

    /// <summary>
    /// The span of d real MNIST images (the 10,000 digits of <see cref="MnistDigits"/>, 784 pixels), chosen uniformly
    /// without replacement from stream 12 of the seed (a partial Fisher–Yates shuffle): a subspace of real, coherent
    /// data (nonnegative pixels, a border that is always zero).
    /// </summary>
    public static SubspaceSource Mnist(ClassificationSet digits, int[] sketchSizes) =>
        new("span of MNIST images", digits.Dimension, sketchSizes, (seed, d) =>
        {
            int count = digits.Count, n = digits.Dimension;
            var order = Enumerable.Range(0, count).ToArray();
            var uniform = new double[d];
            new CounterRandom(seed, 12).FillUniform<double>(uniform);
            var basis = new double[n * d];
            for (int j = 0; j < d; j++)
            {
                int pick = j + (int)Math.Min(count - j - 1, uniform[j] * (count - j));
                (order[j], order[pick]) = (order[pick], order[j]);
                ReadOnlySpan<float> image = digits.Inputs.Row(order[j]);
                for (int p = 0; p < n; p++)
                {
                    basis[p * d + j] = image[p];
                }
            }
            return basis;
        });
}
