using BenchmarkDotNet.Attributes;
using Kernels.Bench.Harness;

namespace Kernels.Bench.Micro;

/// <summary>
/// The machine's ceilings, measured by loops independent of the library: 512-bit FMA throughput and memory
/// bandwidth. Divide by the operation counts in the method names to get GFLOP/s and GB/s.
/// </summary>
[MemoryDiagnoser]
public class MachineLimitsBenchmarks
{
    private const long FmaIterations = 1_000_000;
    private long[] _x = [], _y = [];

    [GlobalSetup]
    public void Setup()
    {
        _x = new long[MachineLimits.BandwidthBytes / sizeof(long)];
        _y = new long[_x.Length];
        Array.Fill(_x, 3);
    }

    /// <summary>2 · 12 · 16 · 10⁶ = 384 MFLOP per call.</summary>
    [Benchmark]
    public float FmaFloat384MFlop() => MachineLimits.FmaChains<float>(FmaIterations);

    /// <summary>2 · 12 · 8 · 10⁶ = 192 MFLOP per call.</summary>
    [Benchmark]
    public double FmaDouble192MFlop() => MachineLimits.FmaChains<double>(FmaIterations);

    /// <summary>Reads 256 MiB per call.</summary>
    [Benchmark]
    public long Read256MiB() => MachineLimits.ReadAll(_x);

    /// <summary>Moves 768 MiB per call (two reads and one write of 256 MiB).</summary>
    [Benchmark]
    public long ReadWrite768MiB()
    {
        MachineLimits.AddInto(_x, _y);
        return _y[0];
    }
}
