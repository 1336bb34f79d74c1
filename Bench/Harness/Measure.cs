using System.Diagnostics;

namespace Kernels.Bench.Harness;

/// <summary>
/// A small timer for the side-by-side commands (BenchmarkDotNet does the micro-benchmarks): it warms up past tiered JIT compilation,
/// calibrates a repetition count so that one sample lasts about <c>sampleTime</c>, and returns the median time
/// per call over several samples. Medians, because this machine is shared and noisy.
/// </summary>
public static class Measure
{
    /// <summary>Median seconds per call of <paramref name="action"/>.</summary>
    public static double MedianSeconds(Action action, double sampleTime = 0.05, int samples = 11)
    {
        double[] times = SortedSeconds(action, sampleTime, samples);
        return times[samples / 2];
    }

    /// <summary>
    /// The least seconds per call of <paramref name="action"/> over the samples: for a machine limit (a peak), which
    /// other work on a shared machine can only lower, so the best sample is the closest to it.
    /// </summary>
    public static double MinSeconds(Action action, double sampleTime = 0.05, int samples = 11) => SortedSeconds(action, sampleTime, samples)[0];

    /// <summary>Seconds per call of <paramref name="action"/> in each sample, ascending, after warm-up and calibration.</summary>
    private static double[] SortedSeconds(Action action, double sampleTime, int samples)
    {
        // Warm up past tiered compilation: call counting starts after a short delay, tier-1 code is compiled in
        // the background after 30 calls, so run at least 50 calls and half a second (at most 3 s for slow actions).
        var clock = Stopwatch.StartNew();
        for (int calls = 0; (calls < 50 || clock.Elapsed.TotalSeconds < 0.5) && clock.Elapsed.TotalSeconds < 3; calls++)
        {
            action();
        }
        clock.Restart();
        int calibration = 0;
        while (clock.Elapsed.TotalSeconds < sampleTime / 2 || calibration < 1)
        {
            action();
            calibration++;
        }
        int repetitions = Math.Max(1, (int)(calibration * sampleTime / clock.Elapsed.TotalSeconds));
        var times = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            clock.Restart();
            for (int r = 0; r < repetitions; r++)
            {
                action();
            }
            times[s] = clock.Elapsed.TotalSeconds / repetitions;
        }
        Array.Sort(times);
        return times;
    }

    /// <summary>The median of <paramref name="values"/> (the upper middle for an even count), the figure every compare table quotes.</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("No samples to take the median of.", nameof(values));
        }
        return sorted[sorted.Length / 2];
    }
}
