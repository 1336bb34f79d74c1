using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kernels.Blas;
using Kernels.Sketching.Hashing;
using Kernels.Sketching.Layers;

namespace Kernels.Bench.Micro;

/// <summary>
/// The paper's 784 → 1000 layer (§A, Figure 1) for one SGD step of batch 50: forward, input gradient and parameter
/// gradients. <see cref="HashedLinear{T}"/> at compression 64 (B = 12 250 buckets, signed, multiply-shift hashing) against
/// a dense layer of the same shape built on our Gemm (the baseline: Y = X·Wᵀ + bias, dX = dY·W, dW = dYᵀ·X, db = Σ dY),
/// in float, on one and on all threads. The hashed layer never materializes V: Gemm's pack step reads ξ·w[h] directly.
/// </summary>
/// <remarks>
/// Parameter memory: dense 784 000 + 1000 floats (and as many for dW); hashed 12 250 + 1000 (and as many for dw). The
/// hashed layer's runtime buffers come from the array pool (a 2B-entry lookup table, a 64 K-entry gradient tile per thread and a
/// 2B-entry table gradient per row partition, two here), so MemoryDiagnoser reports only what a pass allocates beyond them.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class HashedLinearBenchmarks
{
    private const int Inputs = 784, Outputs = 1000, Batch = 50, Compression = 64;
    private const int Buckets = Inputs * Outputs / Compression;

    private HashedLinear<float> _hashed = null!;
    private float[] _weights = [], _bias = [], _weightGradient = [], _biasGradient = [], _bucketGradient = [];
    private float[] _x = [], _y = [], _dy = [], _dx = [];
    private BlasOptions _options = BlasOptions.SingleThreaded;

    /// <summary>Threads for the Gemm calls of both layers.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Seeded parameters and data, uniform in [−1, 1] (the parameters scaled as a fan-in initialization).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _options = Threads == 1 ? BlasOptions.SingleThreaded : new BlasOptions { MaxThreads = Threads };
        _hashed = new HashedLinear<float>(Inputs, Outputs, Buckets, new MultiplyShift(1, 0));
        _hashed.InitializeUniform(1f / MathF.Sqrt(Inputs), 3);
        var random = new System.Random(7);
        float Uniform(float bound) => (float)(2 * random.NextDouble() - 1) * bound;
        _weights = Enumerable.Range(0, Outputs * Inputs).Select(_ => Uniform(1f / MathF.Sqrt(Inputs))).ToArray();
        _bias = Enumerable.Range(0, Outputs).Select(_ => Uniform(1f / MathF.Sqrt(Inputs))).ToArray();
        _x = Enumerable.Range(0, Batch * Inputs).Select(_ => Uniform(1)).ToArray();
        _dy = Enumerable.Range(0, Batch * Outputs).Select(_ => Uniform(1)).ToArray();
        _y = new float[Batch * Outputs];
        _dx = new float[Batch * Inputs];
        _weightGradient = new float[Outputs * Inputs];
        _biasGradient = new float[Outputs];
        _bucketGradient = new float[Buckets];
    }

    /// <summary>The dense layer: three Gemm calls and the bias sums.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("ForwardBackward")]
    public float DenseGemm()
    {
        var x = new ReadOnlyMatrixView<float>(_x, Batch, Inputs);
        var dy = new ReadOnlyMatrixView<float>(_dy, Batch, Outputs);
        var w = new ReadOnlyMatrixView<float>(_weights, Outputs, Inputs);
        var y = new MatrixView<float>(_y, Batch, Outputs);
        for (int b = 0; b < Batch; b++)
        {
            _bias.CopyTo(y.Row(b));
        }
        Level3.Gemm(Transpose.None, Transpose.Transposed, 1f, x, w, 1f, y, _options);
        Level3.Gemm(Transpose.None, Transpose.None, 1f, dy, w, 0f, new MatrixView<float>(_dx, Batch, Inputs), _options);
        Level3.Gemm(Transpose.Transposed, Transpose.None, 1f, dy, x, 0f, new MatrixView<float>(_weightGradient, Outputs, Inputs), _options);
        Array.Clear(_biasGradient);
        for (int b = 0; b < Batch; b++)
        {
            Level1.Axpy(1f, dy.Row(b), _biasGradient);
        }
        return _y[0] + _dx[0] + _weightGradient[0] + _biasGradient[0];
    }

    /// <summary>Dense forward alone: Y = X·Wᵀ + bias.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public float DenseForward()
    {
        var y = new MatrixView<float>(_y, Batch, Outputs);
        for (int b = 0; b < Batch; b++)
        {
            _bias.CopyTo(y.Row(b));
        }
        Level3.Gemm(Transpose.None, Transpose.Transposed, 1f, new ReadOnlyMatrixView<float>(_x, Batch, Inputs), new ReadOnlyMatrixView<float>(_weights, Outputs, Inputs), 1f, y, _options);
        return _y[0];
    }

    /// <summary>Hashed forward alone: Gemm packing ξ·w[h] from the lookup table.</summary>
    [Benchmark, BenchmarkCategory("Forward")]
    public float HashedForward()
    {
        _hashed.Forward(new ReadOnlyMatrixView<float>(_x, Batch, Inputs), new MatrixView<float>(_y, Batch, Outputs), _options);
        return _y[0];
    }

    /// <summary>Dense input gradient alone: dX = dY·W.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("BackwardInput")]
    public float DenseBackwardInput()
    {
        Level3.Gemm(Transpose.None, Transpose.None, 1f, new ReadOnlyMatrixView<float>(_dy, Batch, Outputs), new ReadOnlyMatrixView<float>(_weights, Outputs, Inputs),
            0f, new MatrixView<float>(_dx, Batch, Inputs), _options);
        return _dx[0];
    }

    /// <summary>Hashed input gradient alone.</summary>
    [Benchmark, BenchmarkCategory("BackwardInput")]
    public float HashedBackwardInput()
    {
        _hashed.BackwardInput(new ReadOnlyMatrixView<float>(_dy, Batch, Outputs), new MatrixView<float>(_dx, Batch, Inputs), 0f, _options);
        return _dx[0];
    }

    /// <summary>Dense parameter gradients alone: dW = dYᵀ·X and the bias sums.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("BackwardParameters")]
    public float DenseBackwardParameters()
    {
        var dy = new ReadOnlyMatrixView<float>(_dy, Batch, Outputs);
        Level3.Gemm(Transpose.Transposed, Transpose.None, 1f, dy, new ReadOnlyMatrixView<float>(_x, Batch, Inputs), 0f, new MatrixView<float>(_weightGradient, Outputs, Inputs), _options);
        Array.Clear(_biasGradient);
        for (int b = 0; b < Batch; b++)
        {
            Level1.Axpy(1f, dy.Row(b), _biasGradient);
        }
        return _weightGradient[0] + _biasGradient[0];
    }

    /// <summary>Hashed parameter gradients alone: tile Gemm and scatter-add into the buckets.</summary>
    [Benchmark, BenchmarkCategory("BackwardParameters")]
    public float HashedBackwardParameters()
    {
        _hashed.BackwardParameters(new ReadOnlyMatrixView<float>(_x, Batch, Inputs), new ReadOnlyMatrixView<float>(_dy, Batch, Outputs), _bucketGradient, _biasGradient, 0f, _options);
        return _bucketGradient[0] + _biasGradient[0];
    }

    /// <summary>The hashed layer: forward, input gradient and bucket gradient (scatter-add per tile).</summary>
    [Benchmark, BenchmarkCategory("ForwardBackward")]
    public float HashedLinear()
    {
        var x = new ReadOnlyMatrixView<float>(_x, Batch, Inputs);
        var dy = new ReadOnlyMatrixView<float>(_dy, Batch, Outputs);
        _hashed.Forward(x, new MatrixView<float>(_y, Batch, Outputs), _options);
        _hashed.BackwardInput(dy, new MatrixView<float>(_dx, Batch, Inputs), 0f, _options);
        _hashed.BackwardParameters(x, dy, _bucketGradient, _biasGradient, 0f, _options);
        return _y[0] + _dx[0] + _bucketGradient[0] + _biasGradient[0];
    }
}
