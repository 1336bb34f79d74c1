using System.Globalization;

namespace Kernels.Bench.Harness;

/// <summary>How a figure measured once per seed spreads over the seeds: mean, sample standard deviation, min and max.</summary>
public readonly record struct SeedSpread(double Mean, double StandardDeviation, double Min, double Max, int Seeds)
{
    /// <summary>The spread of <paramref name="values"/>, one per seed (the standard deviation is 0 for a single seed).</summary>
    public static SeedSpread Of(IEnumerable<double> values)
    {
        double[] v = values.ToArray();
        if (v.Length == 0)
        {
            throw new ArgumentException("No values to summarize.", nameof(values));
        }
        double mean = v.Average();
        double sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return new SeedSpread(mean, sd, v.Min(), v.Max(), v.Length);
    }

    /// <summary>"mean ± sd" with <paramref name="format"/> for both.</summary>
    public string Format(string format) =>
        string.Create(CultureInfo.InvariantCulture, $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {StandardDeviation.ToString(format, CultureInfo.InvariantCulture)}");
}
