using Kernels.Blas;
using Kernels.Randomness;
using MathNet.Numerics.Distributions;

namespace Kernels.Bench.Harness;

/// <summary>
/// The workload of the threshold-forest benchmarks, the seed paper's setting (seed 002, §B): n = 16 unit-norm data
/// points and m neurons with w_r ~ N(0, I_d) in d = 32, so that each inner product ⟨w_r, x_i⟩ is exactly N(0, 1).
/// </summary>
/// <remarks>
/// The paper's threshold b = √(0.48·ln m) activates Pr[N(0, 1) ≥ b] of the neurons: 0.49 % for m = 2²⁰ (b = 2.580)
/// and 1.05 % for m = 2¹⁶ (b = 2.307). The benchmarks fix the active fraction instead, τ = Φ⁻¹(1 − fraction),
/// 2.576 for the 0.5 %, so both sizes are compared at the same selectivity.
/// </remarks>
internal static class ForestWorkload
{
    /// <summary>n, the number of data points (trees).</summary>
    public const int DataPoints = 16;

    /// <summary>d.</summary>
    public const int Dimension = 32;

    /// <summary>m × d weights with standard normal entries.</summary>
    public static float[] Weights(int neurons, ulong seed)
    {
        var weights = new float[neurons * Dimension];
        new CounterRandom(seed, 0).FillNormal<float>(weights, 0f, 1f);
        return weights;
    }

    /// <summary>n × d data points of unit Euclidean norm (normalized Gaussian rows).</summary>
    public static float[] Data(ulong seed)
    {
        var data = new float[DataPoints * Dimension];
        new CounterRandom(seed, 1).FillNormal<float>(data, 0f, 1f);
        for (int i = 0; i < DataPoints; i++)
        {
            Span<float> row = data.AsSpan(i * Dimension, Dimension);
            Level1.Scale(1f / Level1.Nrm2<float>(row), row);
        }
        return data;
    }

    /// <summary>The threshold τ that a standard normal inner product reaches with probability <paramref name="activeFraction"/>.</summary>
    public static float Threshold(double activeFraction) => (float)Normal.InvCDF(0, 1, 1 - activeFraction);

    /// <summary>The paper's threshold b = √(0.48·ln m).</summary>
    public static double PaperThreshold(int neurons) => Math.Sqrt(0.48 * Math.Log(neurons));
}
