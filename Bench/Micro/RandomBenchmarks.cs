using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kernels.Randomness;

namespace Kernels.Bench.Micro;

/// <summary>
/// <see cref="CounterRandom"/> against <see cref="System.Random"/> per value. The normal baseline is the textbook loop:
/// NextDouble for two uniforms, then Box–Muller with Math.Log, Math.Sqrt, Math.Cos and Math.Sin, keeping both normals
/// of each pair. Each call continues where the last one stopped, so no benchmark repeats its values.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RandomBenchmarks
{
    private const string Normal = "Normal";
    private const string Uniform = "Uniform";

    private float[] _singles = [];
    private double[] _doubles = [];
    private System.Random _system = null!;
    private CounterRandom _counter;
    private long _nextIndex;

    /// <summary>Values per call: one small size and one odd size past the caches.</summary>
    [Params(1000, 1_000_003)]
    public int Count { get; set; }

    /// <summary>Buffers and generators with fixed seeds.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _singles = new float[Count];
        _doubles = new double[Count];
        _system = new System.Random(20_241_122);
        _counter = new CounterRandom(20_241_122, 0);
        _nextIndex = 0;
    }

    /// <summary>System.Random.NextDouble with Box–Muller from Math.Log, Math.Sqrt, Math.Cos and Math.Sin, stored as float.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(Normal)]
    public float SystemRandomBoxMuller()
    {
        float[] destination = _singles;
        for (int i = 0; i < destination.Length; i += 2)
        {
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - _system.NextDouble()));
            double angle = 2.0 * Math.PI * _system.NextDouble();
            destination[i] = (float)(radius * Math.Cos(angle));
            if (i + 1 < destination.Length)
            {
                destination[i + 1] = (float)(radius * Math.Sin(angle));
            }
        }
        return destination[^1];
    }

    /// <summary>CounterRandom.FillNormal&lt;float&gt;.</summary>
    [Benchmark, BenchmarkCategory(Normal)]
    public float CounterNormalSingle()
    {
        _counter.FillNormal(_singles, 0f, 1f, Advance());
        return _singles[^1];
    }

    /// <summary>CounterRandom.FillNormal&lt;double&gt;.</summary>
    [Benchmark, BenchmarkCategory(Normal)]
    public double CounterNormalDouble()
    {
        _counter.FillNormal(_doubles, 0.0, 1.0, Advance());
        return _doubles[^1];
    }

    /// <summary>A System.Random.NextSingle loop.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(Uniform)]
    public float SystemRandomUniform()
    {
        float[] destination = _singles;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = _system.NextSingle();
        }
        return destination[^1];
    }

    /// <summary>CounterRandom.FillUniform&lt;float&gt;.</summary>
    [Benchmark, BenchmarkCategory(Uniform)]
    public float CounterUniformSingle()
    {
        _counter.FillUniform<float>(_singles, Advance());
        return _singles[^1];
    }

    /// <summary>The start index of the next call: each call takes the next Count values of the sequence.</summary>
    private long Advance()
    {
        long start = _nextIndex;
        _nextIndex += Count;
        return start;
    }
}
