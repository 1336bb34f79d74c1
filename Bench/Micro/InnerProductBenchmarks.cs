using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kernels.Activations;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Kernels.Randomness;

namespace Kernels.Bench.Micro;

/// <summary>
/// Dense Gauss-Newton's step (seed 002): every (r, ⟨w_r, x_i⟩ ≥ b) for W (m × d, w_r ~ N(0, I)) and n unit-norm
/// points, b = √(0.48·ln m). The broadcast kernel (<see cref="ThresholdProducts.CompressGreaterOrEqual"/>, and
/// <see cref="ThresholdProducts.All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, Kernels.Blas.BlasOptions?)"/> into a reused n × 8192 block as a forest's leaves would take them) against
/// Gemm in blocks of 8192 neurons + a scan (what the dense trainer did before). The two bounds are measured in the same run: <see cref="ReadWeights"/>
/// reads W once on every core (memory traffic), <see cref="FmaBound"/> runs the same number of multiply-adds
/// (n·m·d, 16-lane FMAs in twelve independent chains) on every core (arithmetic). W always holds 2²⁵ floats (128 MiB, four times the L3):
/// m = 2²⁵/d (2²⁰ at d = 32).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class InnerProductBenchmarks
{
    private const int WeightFloats = 1 << 25;
    private const int NeuronBlock = 8192;

    private float[] _weights = [];
    private float[] _points = [];
    private float[] _block = [];
    private int[] _indices = [];
    private ActiveSets _sets = null!;
    private float _threshold;

    /// <summary>Points n: memory-bound (4), balanced (16), compute-bound (64).</summary>
    [Params(4, 16, 64)]
    public int N { get; set; }

    /// <summary>Dimension d.</summary>
    [Params(32, 128, 512)]
    public int D { get; set; }

    private int M => WeightFloats / D;

    /// <summary>Seeded W and X, b from m.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _weights = new float[WeightFloats];
        new CounterRandom(20261204, 0).FillNormal<float>(_weights, 0f, 1f);
        _points = new float[N * D];
        new CounterRandom(20261204, 1).FillNormal<float>(_points, 0f, 1f);
        for (int i = 0; i < N; i++)
        {
            Span<float> row = _points.AsSpan(i * D, D);
            Level1.Scale(1f / Level1.Nrm2<float>(row), row);
        }
        _block = new float[N * NeuronBlock];
        _indices = new int[NeuronBlock];
        _sets = new ActiveSets(N);
        _threshold = (float)Math.Sqrt(0.48 * Math.Log(M));
    }

    private ReadOnlyMatrixView<float> W => new(_weights, M, D);

    private ReadOnlyMatrixView<float> X => new(_points, N, D);

    /// <summary>Reads W once on every core (a vector OR over its bits): the memory-traffic bound.</summary>
    [Benchmark]
    public unsafe float ReadWeights()
    {
        fixed (float* w = _weights)
        {
            var parts = new ReadParts(w, WeightFloats, Environment.ProcessorCount);
            ParallelParts.Run(parts, Environment.ProcessorCount);
        }
        return _weights[0];
    }

    /// <summary>n·m·d multiply-adds at the FMA issue limit on every core (<see cref="MachineLimits.FmaChains{T}"/>).</summary>
    [Benchmark]
    public float FmaBound()
    {
        long iterations = (long)N * M * D / MachineLimits.FmaCount<float>(1) / Environment.ProcessorCount;
        ParallelParts.Run(new FmaParts(iterations), Environment.ProcessorCount);
        return FmaParts.Sink;
    }

    /// <summary>Gemm X·Wᵀ in blocks of 8192 neurons, each block scanned for products ≥ b.</summary>
    [Benchmark(Baseline = true)]
    public long GemmAndScan()
    {
        _sets.Clear();
        for (int start = 0; start < M; start += NeuronBlock)
        {
            int count = Math.Min(NeuronBlock, M - start);
            var block = new MatrixView<float>(_block.AsSpan(0, N * count), N, count);
            Level3.Gemm(Transpose.None, Transpose.Transposed, 1f, X, W.Slice(start, 0, count, D), 0f, block);
            for (int i = 0; i < N; i++)
            {
                Span<float> row = block.Row(i);
                int found = Threshold.CompressGreaterOrEqual<float>(row, _threshold, _indices);
                int have = _sets.Count(i);
                _sets.Reserve(i, have + found);
                for (int t = 0; t < found; t++)
                {
                    _sets.WritableIndices(i)[have + t] = start + _indices[t];
                    _sets.WritableValues(i)[have + t] = row[_indices[t]];
                }
                _sets.Commit(i, have + found);
            }
        }
        return _sets.TotalCount;
    }

    /// <summary>The broadcast kernel's threshold report.</summary>
    [Benchmark]
    public long Broadcast()
    {
        ThresholdProducts.CompressGreaterOrEqual(W, X, _threshold, _sets);
        return _sets.TotalCount;
    }

    /// <summary>The broadcast kernel storing all products, 8192 neurons at a time into one reused block.</summary>
    [Benchmark]
    public float BroadcastAll()
    {
        for (int start = 0; start < M; start += NeuronBlock)
        {
            int count = Math.Min(NeuronBlock, M - start);
            ThresholdProducts.All(W.Slice(start, 0, count, D), X, new MatrixView<float>(_block.AsSpan(0, N * count), N, count));
        }
        return _block[0];
    }

    /// <summary>Each part runs its share of the multiply-adds.</summary>
    private readonly struct FmaParts(long iterations) : IParts
    {
        public static float Sink { get; private set; }

        public void Run(int part) => Sink = MachineLimits.FmaChains<float>(iterations);
    }

    /// <summary>Part p ORs the bits of its share of W.</summary>
    private readonly unsafe struct ReadParts(float* data, long length, int parts) : IParts
    {
        public void Run(int part)
        {
            // Whole 64-float steps only: the loop reads k … k + 63, so a part's end must not fall inside a step.
            long start = length * part / parts / 64 * 64, end = length * (part + 1) / parts / 64 * 64;
            Vector512<float> a = default, b = default, c = default, e = default;
            for (long k = start; k < end; k += 64)
            {
                a |= Vector512.Load(data + k);
                b |= Vector512.Load(data + k + 16);
                c |= Vector512.Load(data + k + 32);
                e |= Vector512.Load(data + k + 48);
            }
            Sink = ((a | b) | (c | e)).ToScalar();
        }

        private static float Sink { get; set; }
    }
}
