namespace Kernels.Core;

/// <summary>
/// Runs the parts of an <see cref="IParts"/> struct on the calling thread and on thread-pool workers without
/// allocating after the first call on a thread. The caller claims parts too, so it never waits for a worker
/// that has not started; it waits (spinning, then yielding) only for parts a worker is running.
/// </summary>
/// <remarks>
/// <para><see cref="System.Threading.Tasks.Parallel.For(int, int, System.Threading.Tasks.ParallelOptions, Action{int})"/>
/// allocates a closure, options and its internal task state per call, which is several microseconds against a
/// level-2 call of a hundred or two. Here each calling thread keeps one job object per work type and queues the
/// same object once per extra thread.</para>
/// <para>Which thread runs which part varies from call to call, so a deterministic result needs parts whose output
/// does not depend on the thread (disjoint outputs, or one partial result per part combined afterwards in part order).
/// A part must not throw (a worker's exception would end the process) and must not start another
/// <see cref="Run{TWork}(in TWork, int, int)"/> with the same work type on the thread that is running it.</para>
/// </remarks>
public static class ParallelParts
{
    /// <summary>Runs parts 0 … <paramref name="parts"/> − 1 of <paramref name="work"/>, as many at once as there are
    /// parts, and returns when all are done.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is negative.</exception>
    public static void Run<TWork>(in TWork work, int parts) where TWork : struct, IParts => Run(work, parts, Math.Max(parts, 1));

    /// <summary>Runs parts 0 … <paramref name="parts"/> − 1 of <paramref name="work"/> on at most <paramref name="threads"/>
    /// threads (the caller included) and returns when all are done. Zero parts run nothing; one part, or one thread, runs
    /// every part on the caller, in order, with no job and no atomic claims (so a caller need not special-case a single
    /// thread).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is negative, or <paramref name="threads"/> is below 1.</exception>
    public static void Run<TWork>(in TWork work, int parts, int threads) where TWork : struct, IParts
    {
        Guard.RequireAtLeast(parts, 0, nameof(parts));
        Guard.RequireAtLeast(threads, 1, nameof(threads));
        if (parts <= 1 || threads == 1)
        {
            for (int part = 0; part < parts; part++)
            {
                work.Run(part);
            }
            return;
        }
        var job = Job<TWork>.ForThisThread();
        job.Start(work, parts);
        for (int w = 1; w < Math.Min(parts, threads); w++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(job, preferLocal: false);
        }
        job.RunParts();
        job.WaitForAll();
    }

    private sealed class Job<TWork> : IThreadPoolWorkItem where TWork : struct, IParts
    {
        [ThreadStatic]
        private static Job<TWork>? s_forThisThread;

        private TWork _work;
        private int _parts;
        private int _remaining = -1; // parts not yet claimed; claims count down, so a stale worker of an earlier call finds it negative
        private int _done;

        public static Job<TWork> ForThisThread() => s_forThisThread ??= new Job<TWork>();

        /// <summary>Called only by the owning thread, after every part of its previous call is done.</summary>
        public void Start(in TWork work, int parts)
        {
            _work = work;
            _parts = parts;
            _done = 0;
            Volatile.Write(ref _remaining, parts); // publishes the fields above to whoever claims a part
        }

        public void Execute() => RunParts();

        public void RunParts()
        {
            int part;
            while ((part = Interlocked.Decrement(ref _remaining)) >= 0)
            {
                _work.Run(part);
                Interlocked.Increment(ref _done);
            }
        }

        public void WaitForAll()
        {
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _done) < _parts)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            // Every part has returned and a late worker only finds _remaining negative, so the work can go: otherwise
            // whatever it references (a forest, a matrix) would stay alive until this thread's next call of this kind.
            _work = default;
        }
    }
}
