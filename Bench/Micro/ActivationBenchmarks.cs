using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kernels.Activations;

namespace Kernels.Bench.Micro;

/// <summary>
/// Rectifiers and threshold selection on about a million floats uniform in [0, 1), against scalar loops and
/// TensorPrimitives. The threshold 0.99 selects about 1 % of the values, the regime of a sparse active set.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ActivationBenchmarks
{
    private const float Bias = 0.5f;
    private const float Threshold99 = 0.99f;

    private float[] _x = null!;
    private float[] _destination = null!;
    private int[] _indices = null!;

    /// <summary>Element count: 2²⁰ and an odd neighbour.</summary>
    [Params(1_048_576, 1_048_573)]
    public int N { get; set; }

    /// <summary>Seeded data.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new System.Random(42);
        _x = Enumerable.Range(0, N).Select(_ => random.NextSingle()).ToArray();
        _destination = new float[N];
        _indices = new int[N];
    }

    // ---- Relu ----------------------------------------------------------------------------------------------

    /// <summary>Scalar max(x, 0).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Relu")]
    public float ReluScalar()
    {
        for (int i = 0; i < _x.Length; i++)
        {
            _destination[i] = MathF.Max(_x[i], 0f);
        }
        return _destination[^1];
    }

    /// <summary>TensorPrimitives.Max(x, 0).</summary>
    [Benchmark, BenchmarkCategory("Relu")]
    public float ReluTensorPrimitives()
    {
        TensorPrimitives.Max(_x, 0f, _destination);
        return _destination[^1];
    }

    /// <summary><see cref="Rectifiers.Relu{T}"/>.</summary>
    [Benchmark, BenchmarkCategory("Relu")]
    public float ReluKernels()
    {
        Rectifiers.Relu<float>(_x, _destination);
        return _destination[^1];
    }

    // ---- ShiftedRelu ---------------------------------------------------------------------------------------

    /// <summary>Scalar max(x − b, 0).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("ShiftedRelu")]
    public float ShiftedReluScalar()
    {
        for (int i = 0; i < _x.Length; i++)
        {
            _destination[i] = MathF.Max(_x[i] - Bias, 0f);
        }
        return _destination[^1];
    }

    /// <summary>TensorPrimitives has no fused form: subtract, then max, two passes.</summary>
    [Benchmark, BenchmarkCategory("ShiftedRelu")]
    public float ShiftedReluTensorPrimitives()
    {
        TensorPrimitives.Subtract(_x, Bias, _destination);
        TensorPrimitives.Max(_destination, 0f, _destination);
        return _destination[^1];
    }

    /// <summary><see cref="Rectifiers.ShiftedRelu{T}"/>.</summary>
    [Benchmark, BenchmarkCategory("ShiftedRelu")]
    public float ShiftedReluKernels()
    {
        Rectifiers.ShiftedRelu<float>(_x, Bias, _destination);
        return _destination[^1];
    }

    // ---- ShiftedReluMask -----------------------------------------------------------------------------------

    /// <summary>Scalar x ≥ b ? 1 : 0.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("ShiftedReluMask")]
    public float ShiftedReluMaskScalar()
    {
        for (int i = 0; i < _x.Length; i++)
        {
            _destination[i] = _x[i] >= Bias ? 1f : 0f;
        }
        return _destination[^1];
    }

    /// <summary><see cref="Rectifiers.ShiftedReluMask{T}"/>.</summary>
    [Benchmark, BenchmarkCategory("ShiftedReluMask")]
    public float ShiftedReluMaskKernels()
    {
        Rectifiers.ShiftedReluMask<float>(_x, Bias, _destination);
        return _destination[^1];
    }

    // ---- Compress at 1 % selectivity -----------------------------------------------------------------------

    /// <summary>Scalar scan appending each matching index.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Compress")]
    public int CompressScalar()
    {
        float[] x = _x;
        int[] indices = _indices;
        int count = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] >= Threshold99)
            {
                indices[count++] = i;
            }
        }
        return count;
    }

    /// <summary><see cref="Threshold.CompressGreaterOrEqual{T}"/> with room for every index (no counting pass).</summary>
    [Benchmark, BenchmarkCategory("Compress")]
    public int CompressKernels() => Threshold.CompressGreaterOrEqual<float>(_x, Threshold99, _indices);

    // ---- Count at 1 % selectivity --------------------------------------------------------------------------

    /// <summary>Scalar count.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Count")]
    public int CountScalar()
    {
        float[] x = _x;
        int count = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] >= Threshold99)
            {
                count++;
            }
        }
        return count;
    }

    /// <summary><see cref="Threshold.CountGreaterOrEqual{T}"/>.</summary>
    [Benchmark, BenchmarkCategory("Count")]
    public int CountKernels() => Threshold.CountGreaterOrEqual<float>(_x, Threshold99);
}
