namespace Kernels.Verification.Infrastructure;

/// <summary>Measures managed allocation, for the rule that kernel hot paths do not allocate.</summary>
public static class Allocation
{
    /// <summary>
    /// Bytes allocated on the calling thread by ten runs of <paramref name="action"/>, after three warm-up runs have
    /// taken the one-time costs (JIT compilation, static initialization) out of the measurement: the least over up to
    /// five rounds of ten runs.
    /// </summary>
    /// <remarks>
    /// A threaded call queues its job to the thread pool from the calling thread; when other tests keep the pool busy,
    /// the pool's queue can grow a segment during a round (a one-off, amortized cost of the pool, seen once in CI as
    /// 5.6 kB over ten runs). An allocation made by every call shows in every round, so the least over rounds still
    /// catches it.
    /// </remarks>
    public static long Measure(Action action)
    {
        for (int i = 0; i < 3; i++)
        {
            action();
        }
        long least = long.MaxValue;
        for (int round = 0; round < 5 && least > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                action();
            }
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }

    /// <summary>
    /// Bytes allocated by every thread of the process (<see cref="GC.GetTotalAllocatedBytes(bool)"/>) during one run of
    /// <paramref name="action"/>: the least over up to <see cref="Rounds"/> runs, after <see cref="WarmUps"/> warm-up
    /// runs. For threaded calls, whose parts run on thread-pool workers. Run it in the
    /// <see cref="WholeProcessAllocation"/> collection, so that no other test allocates meanwhile.
    /// </summary>
    /// <remarks>
    /// A worker allocates its thread-static state (pack buffers, pool caches) the first time it joins a call, and
    /// the pool wakes its most recently idle workers first, so warm-up reaches the workers the measurement meets.
    /// The process allocates a little besides the action: the test host about 168 bytes every 100 ms on its own
    /// threads (measured with an idle test), the tiered JIT now and then. A round is one run, a few milliseconds even
    /// on the scalar path, so most rounds miss those; an allocation made by every call shows in every round.
    /// </remarks>
    public static long MeasureProcess(Action action)
    {
        for (int i = 0; i < WarmUps; i++)
        {
            action();
        }
        long least = long.MaxValue;
        for (int round = 0; round < Rounds && least > 0; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            action();
            least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
        }
        return least;
    }

    /// <summary>Runs before <see cref="MeasureProcess"/> measures.</summary>
    public const int WarmUps = 20;

    /// <summary>Measured runs of <see cref="MeasureProcess"/> at most.</summary>
    public const int Rounds = 30;
}
