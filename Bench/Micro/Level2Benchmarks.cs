using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kernels.Bench.Harness;
using Kernels.Blas;

namespace Kernels.Bench.Micro;

/// <summary>Float Gemv in both orientations (one and all threads) and Ger, against scalar loops (the baselines).</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class Level2Benchmarks
{
    private float[] _a = [], _x = [], _y = [];

    [Params(2047, 2048)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new System.Random(11);
        _a = Enumerable.Range(0, N * N).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _x = Enumerable.Range(0, N).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _y = Enumerable.Range(0, N).Select(_ => random.NextSingle() - 0.5f).ToArray();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("A·x")]
    public float ScalarAx()
    {
        ScalarBaselines.Gemv<float>(_a, N, N, _x, _y);
        return _y[0];
    }

    [Benchmark, BenchmarkCategory("A·x")]
    public float KernelsAxOneThread() => Gemv(Transpose.None, BlasOptions.SingleThreaded);

    [Benchmark, BenchmarkCategory("A·x")]
    public float KernelsAxAllThreads() => Gemv(Transpose.None, BlasOptions.Default);

    [Benchmark(Baseline = true), BenchmarkCategory("Aᵀ·x")]
    public float ScalarAtx()
    {
        ScalarBaselines.GemvTransposed<float>(_a, N, N, _x, _y);
        return _y[0];
    }

    [Benchmark, BenchmarkCategory("Aᵀ·x")]
    public float KernelsAtxOneThread() => Gemv(Transpose.Transposed, BlasOptions.SingleThreaded);

    [Benchmark, BenchmarkCategory("Aᵀ·x")]
    public float KernelsAtxAllThreads() => Gemv(Transpose.Transposed, BlasOptions.Default);

    private float Gemv(Transpose transpose, BlasOptions options)
    {
        Level2.Gemv(transpose, 1f, new ReadOnlyMatrixView<float>(_a, N, N), _x, 0f, _y, options);
        return _y[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Ger")]
    public float ScalarGer()
    {
        ScalarBaselines.Ger(1e-9f, _x, _y, _a);
        return _a[0];
    }

    [Benchmark, BenchmarkCategory("Ger")]
    public float KernelsGer()
    {
        Level2.Ger(1e-9f, _x, _y, new MatrixView<float>(_a, N, N));
        return _a[0];
    }
}
