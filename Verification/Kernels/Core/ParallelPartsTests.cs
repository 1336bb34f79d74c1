namespace Kernels.Verification.Kernels.Core;

/// <summary>The allocation-free thread dispatch: every part runs exactly once, whatever the part and thread counts.</summary>
public sealed class ParallelPartsTests
{
    /// <summary>Counts how often each part ran; the array is shared by every thread.</summary>
    private readonly struct CountingParts(int[] runs) : IParts
    {
        public void Run(int part) => Interlocked.Increment(ref runs[part]);
    }

    [Fact]
    public void Every_part_runs_exactly_once_for_any_parts_and_threads()
    {
        foreach (int parts in new[] { 0, 1, 2, 3, 7, 16, 61 })
        {
            foreach (int threads in new[] { 1, 2, 3, 8, 100 })
            {
                // Repeated calls reuse this thread's job object; a stale worker of an earlier call must not run a part twice.
                for (int call = 0; call < 20; call++)
                {
                    int[] runs = new int[parts];
                    ParallelParts.Run(new CountingParts(runs), parts, threads);
                    Assert.True(runs.All(n => n == 1), $"parts {parts}, threads {threads}, call {call}: runs [{string.Join(", ", runs)}]");
                }
            }
            int[] once = new int[parts];
            ParallelParts.Run(new CountingParts(once), parts);
            Assert.All(once, n => Assert.Equal(1, n));
        }
    }

    [Fact]
    public void Calls_from_several_threads_at_once_keep_their_parts_apart()
    {
        const int Callers = 4, Parts = 33;
        int[][] runs = [.. Enumerable.Range(0, Callers).Select(_ => new int[Parts])];
        Parallel.For(0, Callers, c =>
        {
            for (int call = 0; call < 50; call++)
            {
                Array.Clear(runs[c]);
                ParallelParts.Run(new CountingParts(runs[c]), Parts, 3);
                Assert.All(runs[c], n => Assert.Equal(1, n));
            }
        });
    }

    [Fact]
    public void Bad_counts_throw_naming_the_argument()
    {
        Assert.Equal("parts", Assert.Throws<ArgumentOutOfRangeException>(() => ParallelParts.Run(new CountingParts([]), -1)).ParamName);
        Assert.Equal("parts", Assert.Throws<ArgumentOutOfRangeException>(() => ParallelParts.Run(new CountingParts([]), -1, 2)).ParamName);
        Assert.Equal("threads", Assert.Throws<ArgumentOutOfRangeException>(() => ParallelParts.Run(new CountingParts([0]), 1, 0)).ParamName);
    }

    /// <summary>Once a call returns, the thread's job no longer holds the work (nor what it references).</summary>
    [Fact]
    public void A_finished_call_does_not_keep_its_work_alive()
    {
        var reference = RunOnce();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(reference.IsAlive, "the per-thread job still references the last call's work");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference RunOnce()
    {
        int[] counts = new int[4];
        ParallelParts.Run(new CountingParts(counts), counts.Length, 2);
        Assert.All(counts, n => Assert.Equal(1, n));
        return new WeakReference(counts);
    }
}
