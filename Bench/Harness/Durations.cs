namespace Kernels.Bench.Harness;

/// <summary>Formats a duration in seconds with a unit that keeps three or four significant digits.</summary>
public static class Durations
{
    /// <summary>e.g. <c>850 ns</c>, <c>12.3 µs</c>, <c>4.56 ms</c>, <c>1.23 s</c>.</summary>
    public static string Format(double seconds) => seconds switch
    {
        < 1e-6 => $"{seconds * 1e9:F0} ns",
        < 1e-3 => $"{seconds * 1e6:F1} µs",
        < 1 => $"{seconds * 1e3:F2} ms",
        _ => $"{seconds:F2} s",
    };

    /// <summary>The same for a <see cref="TimeSpan"/>.</summary>
    public static string Format(TimeSpan duration) => Format(duration.TotalSeconds);
}
