namespace Kernels.Verification.Infrastructure;

/// <summary>Measures managed allocation on the calling thread, for the rule that kernel hot paths do not allocate.</summary>
public static class Allocation
{
    /// <summary>
    /// Bytes allocated by ten runs of <paramref name="action"/>, after three warm-up runs have taken the one-time
    /// costs (JIT compilation, static initialization) out of the measurement.
    /// </summary>
    public static long Measure(Action action)
    {
        for (int i = 0; i < 3; i++)
        {
            action();
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            action();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
