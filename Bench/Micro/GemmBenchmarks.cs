using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kernels.Blas;

namespace Kernels.Bench.Micro;

// Inside the namespace, so that MathNet's Matrix<T> wins over the globally imported Kernels.Core.Matrix<T>.
using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// Gemm against MathNet.Numerics' managed provider (the baseline) on one and all threads, at an odd size and two
/// aligned ones. NumPy/OpenBLAS runs side by side in <c>compare kernels</c>, which also quotes the FMA-peak fraction.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
public class GemmBenchmarks<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _a = [], _b = [], _c = [];
    private Matrix<T> _ma = null!, _mb = null!, _mc = null!;

    [Params(257, 512, 1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        MathNet.Numerics.Control.UseManaged();
        var random = new System.Random(7);
        _a = Enumerable.Range(0, N * N).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        _b = Enumerable.Range(0, N * N).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        _c = new T[N * N];
        // MathNet stores column-major; the product of the transposed data is the same amount of work.
        _ma = Matrix<T>.Build.Dense(N, N, _a);
        _mb = Matrix<T>.Build.Dense(N, N, _b);
        _mc = Matrix<T>.Build.Dense(N, N);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Gemm")]
    public T MathNetManaged()
    {
        _ma.Multiply(_mb, _mc);
        return _mc[0, 0];
    }

    [Benchmark, BenchmarkCategory("Gemm")]
    public T KernelsOneThread() => Multiply(BlasOptions.SingleThreaded);

    [Benchmark, BenchmarkCategory("Gemm")]
    public T KernelsAllThreads() => Multiply(BlasOptions.Default);

    private T Multiply(BlasOptions options)
    {
        Level3.Gemm(Transpose.None, Transpose.None, T.One, new ReadOnlyMatrixView<T>(_a, N, N), new ReadOnlyMatrixView<T>(_b, N, N),
            T.Zero, new MatrixView<T>(_c, N, N), options);
        return _c[0];
    }
}
