using BenchmarkDotNet.Attributes;
using Kernels.Blas;

namespace Kernels.Bench.Micro;

/// <summary>
/// Gemm (float) at the shapes of one SGD step of the 784-1000-10 MLP at batch 50 — the forward product with the weights
/// transposed (B = Wᵀ: the transposing pack), the weight gradient (A = dZᵀ) — the same forward product with W stored
/// the other way (a plain copying pack), and square products in every transpose combination, on one thread and on all.
/// </summary>
[MemoryDiagnoser]
public class GemmShapesBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>m × n × k, then op(A) and op(B): N (as stored) or T (transposed).</summary>
    [Params("50x1000x784 NT", "50x1000x784 NN", "1000x784x50 TN", "512x512x512 NN", "512x512x512 NT", "512x512x512 TN", "512x512x512 TT")]
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    private int _m, _n, _k;
    private Transpose _ta, _tb;
    private BlasOptions _options = BlasOptions.Default;

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split(' ');
        int[] sizes = parts[0].Split('x').Select(int.Parse).ToArray();
        (_m, _n, _k) = (sizes[0], sizes[1], sizes[2]);
        _ta = parts[1][0] == 'T' ? Transpose.Transposed : Transpose.None;
        _tb = parts[1][1] == 'T' ? Transpose.Transposed : Transpose.None;
        var random = new System.Random(7);
        _a = Enumerable.Range(0, _m * _k).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _b = Enumerable.Range(0, _k * _n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _c = new float[_m * _n];
        _options = new BlasOptions { MaxThreads = Threads };
    }

    [Benchmark]
    public float Gemm()
    {
        var a = _ta == Transpose.None ? new ReadOnlyMatrixView<float>(_a, _m, _k) : new ReadOnlyMatrixView<float>(_a, _k, _m);
        var b = _tb == Transpose.None ? new ReadOnlyMatrixView<float>(_b, _k, _n) : new ReadOnlyMatrixView<float>(_b, _n, _k);
        Level3.Gemm(_ta, _tb, 1f, a, b, 0f, new MatrixView<float>(_c, _m, _n), _options);
        return _c[0];
    }
}
