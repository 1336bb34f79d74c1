using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Kernels.Bench.Harness;

/// <summary>
/// The hardware limits kernels are quoted against: fused multiply-add throughput (the Gemm ceiling) and memory
/// bandwidth (the ceiling of level-1 kernels on data that does not fit in cache). The loops here are deliberately
/// independent of the library's kernels, so that a kernel is never measured against itself. Each limit is the best
/// of its samples (<see cref="Measure.MinSeconds"/>): other work on a shared machine can only slow a loop down.
/// </summary>
public static class MachineLimits
{
    /// <summary>Bytes of each buffer of the bandwidth loops: far beyond the last-level cache.</summary>
    public const int BandwidthBytes = 256 << 20;

    /// <summary>Multiply-adds per call of <see cref="FmaChains{T}"/>: 12 independent 512-bit chains × iterations.</summary>
    public static long FmaCount<T>(long iterations) => 12L * Vector512<T>.Count * iterations;

    /// <summary>
    /// Twelve independent chains of 512-bit fused multiply-adds: enough to cover the latency × throughput of any
    /// current core, so the loop runs at the FMA issue limit. Returns a value so the work cannot be removed.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T FmaChains<T>(long iterations) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var x = Vector512.Create(T.CreateChecked(0.999999));
        var y = Vector512.Create(T.CreateChecked(1e-7));
        Vector512<T> a0 = Vector512.Create(T.One), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector512<T> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma(a0, x, y); a1 = Fma(a1, x, y); a2 = Fma(a2, x, y); a3 = Fma(a3, x, y);
            a4 = Fma(a4, x, y); a5 = Fma(a5, x, y); a6 = Fma(a6, x, y); a7 = Fma(a7, x, y);
            a8 = Fma(a8, x, y); a9 = Fma(a9, x, y); a10 = Fma(a10, x, y); a11 = Fma(a11, x, y);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }
        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>Reads every byte of <paramref name="buffer"/> with eight independent 512-bit integer accumulators.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long ReadAll(ReadOnlySpan<long> buffer)
    {
        ref long start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(buffer);
        nuint n = (nuint)buffer.Length, w = (nuint)Vector512<long>.Count;
        Vector512<long> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (nuint i = 0; i + 8 * w <= n; i += 8 * w)
        {
            s0 ^= Vector512.LoadUnsafe(ref start, i);
            s1 ^= Vector512.LoadUnsafe(ref start, i + w);
            s2 ^= Vector512.LoadUnsafe(ref start, i + 2 * w);
            s3 ^= Vector512.LoadUnsafe(ref start, i + 3 * w);
            s4 ^= Vector512.LoadUnsafe(ref start, i + 4 * w);
            s5 ^= Vector512.LoadUnsafe(ref start, i + 5 * w);
            s6 ^= Vector512.LoadUnsafe(ref start, i + 6 * w);
            s7 ^= Vector512.LoadUnsafe(ref start, i + 7 * w);
        }
        return Vector512.Sum(s0 ^ s1 ^ s2 ^ s3 ^ s4 ^ s5 ^ s6 ^ s7);
    }

    /// <summary>Reads two buffers in lockstep, the traffic of a dot product.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long ReadBoth(ReadOnlySpan<long> x, ReadOnlySpan<long> y)
    {
        ref long xs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref long ys = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
        nuint n = (nuint)Math.Min(x.Length, y.Length), w = (nuint)Vector512<long>.Count;
        Vector512<long> s0 = default, s1 = default, s2 = default, s3 = default;
        for (nuint i = 0; i + 2 * w <= n; i += 2 * w)
        {
            s0 ^= Vector512.LoadUnsafe(ref xs, i);
            s1 ^= Vector512.LoadUnsafe(ref ys, i);
            s2 ^= Vector512.LoadUnsafe(ref xs, i + w);
            s3 ^= Vector512.LoadUnsafe(ref ys, i + w);
        }
        return Vector512.Sum(s0 ^ s1 ^ s2 ^ s3);
    }

    /// <summary>Reads <paramref name="x"/> and <paramref name="y"/> and writes <paramref name="y"/> (y[i] += x[i]): the traffic of an axpy.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void AddInto(ReadOnlySpan<long> x, Span<long> y)
    {
        ref long xs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref long ys = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, w = (nuint)Vector512<long>.Count;
        for (nuint i = 0; i + 4 * w <= n; i += 4 * w)
        {
            (Vector512.LoadUnsafe(ref ys, i) + Vector512.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ys, i);
            (Vector512.LoadUnsafe(ref ys, i + w) + Vector512.LoadUnsafe(ref xs, i + w)).StoreUnsafe(ref ys, i + w);
            (Vector512.LoadUnsafe(ref ys, i + 2 * w) + Vector512.LoadUnsafe(ref xs, i + 2 * w)).StoreUnsafe(ref ys, i + 2 * w);
            (Vector512.LoadUnsafe(ref ys, i + 3 * w) + Vector512.LoadUnsafe(ref xs, i + 3 * w)).StoreUnsafe(ref ys, i + 3 * w);
        }
    }

    /// <summary>Measured limits of this machine, from the loops above timed with <see cref="Measure"/>.</summary>
    public sealed record Limits(double FloatGflopsPerCore, double DoubleGflopsPerCore, double FloatGflopsAllCores, double DoubleGflopsAllCores,
        double ReadGBps, double ReadGBpsAllCores, double ReadWriteGBps);

    /// <summary>Measures every limit (about 30 seconds).</summary>
    public static Limits MeasureAll()
    {
        const long iterations = 2_000_000;
        double floatCore = 2.0 * FmaCount<float>(iterations) / Measure.MinSeconds(() => FmaChains<float>(iterations), 0.05, 7) / 1e9;
        double doubleCore = 2.0 * FmaCount<double>(iterations) / Measure.MinSeconds(() => FmaChains<double>(iterations), 0.05, 7) / 1e9;
        double floatAll = GflopsAllCores<float>();
        double doubleAll = GflopsAllCores<double>();

        long[] x = new long[BandwidthBytes / sizeof(long)];
        long[] y = new long[x.Length];
        Array.Fill(x, 1);
        Array.Fill(y, 2);
        double read = BandwidthBytes / Measure.MinSeconds(() => ReadAll(x), 0.3, 7) / 1e9;
        double readAll = ReadBytesPerSecondAllCores(x) / 1e9;
        double readWrite = 3.0 * BandwidthBytes / Measure.MinSeconds(() => AddInto(x, y), 0.3, 7) / 1e9;
        return new Limits(floatCore, doubleCore, floatAll, doubleAll, read, readAll, readWrite);
    }

    /// <summary>
    /// The FMA peak of every core at once, in GFLOP/s: the chains of <see cref="FmaChains{T}"/> on each core, about
    /// 0.2 s per round started together, so that thread start-up and a late-starting thread do not count (with 7 ms
    /// rounds one thread often ran after the other, and two cores measured as 1.2). The limit a compute-bound
    /// kernel's time is set against.
    /// </summary>
    public static double GflopsAllCores<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        long iterations = 64_000_000 / (Vector512<float>.Count / Vector512<T>.Count);
        int cores = Environment.ProcessorCount;
        FmaChains<T>(iterations / 64);
        return 2.0 * FmaCount<T>(iterations) * cores / Measure.MinSeconds(() => OnEveryCore(_ => FmaChains<T>(iterations), cores), 0.1, 5) / 1e9;
    }

    /// <summary>
    /// The read bandwidth of every core at once, in bytes per second: each core XOR-reduces its own part of
    /// <paramref name="buffer"/> (<see cref="ReadAll"/>), the parts started together. One core alone cannot keep
    /// enough misses in flight to reach the memory's bandwidth, so a kernel that reads on every core is held to this.
    /// </summary>
    public static double ReadBytesPerSecondAllCores(long[] buffer)
    {
        int cores = Environment.ProcessorCount;
        int part = buffer.Length / cores;
        ReadAll(buffer);
        double seconds = Measure.MinSeconds(() => OnEveryCore(core => ReadAll(buffer.AsSpan(core * part, part)), cores), 0.3, 7);
        return (double)part * cores * sizeof(long) / seconds;
    }

    /// <summary>
    /// Runs <paramref name="work"/>(t) once on each of <paramref name="threads"/> dedicated threads t, started together, and waits for all.
    /// Dedicated threads, not the pool: a pool may run short work items one after another on the calling thread.
    /// </summary>
    public static void OnEveryCore(Action<int> work, int threads)
    {
        var workers = new Thread[threads];
        using var start = new Barrier(threads);
        for (int t = 0; t < threads; t++)
        {
            int core = t;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                work(core);
            }) { IsBackground = true };
            workers[t].Start();
        }
        foreach (var worker in workers)
        {
            worker.Join();
        }
    }
}
