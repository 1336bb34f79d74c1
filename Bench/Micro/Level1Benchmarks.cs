using System.Numerics;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kernels.Bench.Harness;
using Kernels.Blas;

namespace Kernels.Bench.Micro;

/// <summary>
/// Level-1 kernels against a scalar loop (the baseline of each category) and TensorPrimitives, in cache
/// (n = 1,000 and the odd 4,099) and in memory (n = 16M, far beyond the 32 MiB L3).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class Level1Benchmarks<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _x = [];
    private T[] _y = [];
    private readonly T _alpha = T.CreateChecked(1e-6);

    [Params(1_000, 4_099, 16_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new System.Random(20261122);
        _x = Enumerable.Range(0, N).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        _y = Enumerable.Range(0, N).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Dot")]
    public T DotScalar() => ScalarBaselines.Dot<T>(_x, _y);

    [Benchmark, BenchmarkCategory("Dot")]
    public T DotTensorPrimitives() => TensorPrimitives.Dot<T>(_x, _y);

    [Benchmark, BenchmarkCategory("Dot")]
    public T DotKernels() => Level1.Dot<T>(_x, _y);

    [Benchmark(Baseline = true), BenchmarkCategory("Sum")]
    public T SumScalar() => ScalarBaselines.Sum<T>(_x);

    [Benchmark, BenchmarkCategory("Sum")]
    public T SumTensorPrimitives() => TensorPrimitives.Sum<T>(_x);

    [Benchmark, BenchmarkCategory("Sum")]
    public T SumKernels() => Level1.Sum<T>(_x);

    [Benchmark(Baseline = true), BenchmarkCategory("Nrm2")]
    public T Nrm2Scalar() => ScalarBaselines.Nrm2<T>(_x);

    /// <summary>TensorPrimitives.Norm is not overflow-safe; ours is, at no measurable cost on ordinary data.</summary>
    [Benchmark, BenchmarkCategory("Nrm2")]
    public T Nrm2TensorPrimitives() => TensorPrimitives.Norm<T>(_x);

    [Benchmark, BenchmarkCategory("Nrm2")]
    public T Nrm2Kernels() => Level1.Nrm2<T>(_x);

    // Axpy and Scale keep y bounded: alpha is tiny, so repeated calls neither overflow nor (over a benchmark's
    // iterations) underflow to subnormals.
    [Benchmark(Baseline = true), BenchmarkCategory("Axpy")]
    public T AxpyScalar()
    {
        ScalarBaselines.Axpy(_alpha, _x, _y);
        return _y[0];
    }

    [Benchmark, BenchmarkCategory("Axpy")]
    public T AxpyTensorPrimitives()
    {
        TensorPrimitives.MultiplyAdd(_x, _alpha, _y, _y);
        return _y[0];
    }

    [Benchmark, BenchmarkCategory("Axpy")]
    public T AxpyKernels()
    {
        Level1.Axpy(_alpha, _x, _y);
        return _y[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Scale")]
    public T ScaleScalar()
    {
        ScalarBaselines.Scale(_alpha, _y);
        return _y[0];
    }

    [Benchmark, BenchmarkCategory("Scale")]
    public T ScaleTensorPrimitives()
    {
        TensorPrimitives.Multiply(_y, _alpha, _y);
        return _y[0];
    }

    [Benchmark, BenchmarkCategory("Scale")]
    public T ScaleKernels()
    {
        Level1.Scale(_alpha, _y);
        return _y[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Max")]
    public T MaxScalar() => ScalarBaselines.Max<T>(_x);

    [Benchmark, BenchmarkCategory("Max")]
    public T MaxTensorPrimitives() => TensorPrimitives.Max<T>(_x);

    [Benchmark, BenchmarkCategory("Max")]
    public T MaxKernels() => Level1.Max<T>(_x);

    [Benchmark(Baseline = true), BenchmarkCategory("ArgMax")]
    public int ArgMaxScalar() => ScalarBaselines.ArgMax<T>(_x);

    [Benchmark, BenchmarkCategory("ArgMax")]
    public int ArgMaxTensorPrimitives() => TensorPrimitives.IndexOfMax<T>(_x);

    [Benchmark, BenchmarkCategory("ArgMax")]
    public int ArgMaxKernels() => Level1.ArgMax<T>(_x);
}
