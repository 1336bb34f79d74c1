using System.Numerics;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training.Ntk;

/// <summary>Point sets for the NTK tests: Gaussian points of varied norms, plus a zero row, a repeated row and an antipodal row, the edge cases of the arc-cosine kernel.</summary>
internal static class NtkTestData
{
    /// <summary>n × d points, row-major, from a fixed seed; with n ≥ 4 rows 1–3 are the edge cases.</summary>
    public static T[] Points<T>(int n, int d, int seed, bool edgeCases = true) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new System.Random(seed);
        var x = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            double scale = 0.5 + random.NextDouble();
            for (int k = 0; k < d; k++)
            {
                x[i * d + k] = scale * TestMatrices.Gaussian(random);
            }
        }
        if (edgeCases && n >= 4)
        {
            for (int k = 0; k < d; k++)
            {
                x[1 * d + k] = 0;
                x[2 * d + k] = x[k];
                x[3 * d + k] = -2 * x[k];
            }
        }
        return x.Select(T.CreateChecked).ToArray();
    }

    /// <summary>n × d points on the unit sphere (the data of the random-feature tests).</summary>
    public static T[] Sphere<T>(int n, int d, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new System.Random(seed);
        var x = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            double norm = 0;
            for (int k = 0; k < d; k++)
            {
                x[i * d + k] = TestMatrices.Gaussian(random);
                norm += x[i * d + k] * x[i * d + k];
            }
            for (int k = 0; k < d; k++)
            {
                x[i * d + k] /= Math.Sqrt(norm);
            }
        }
        return x.Select(T.CreateChecked).ToArray();
    }
}
