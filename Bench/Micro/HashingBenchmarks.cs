using System.IO.Hashing;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kernels.Sketching.Hashing;

namespace Kernels.Bench.Micro;

/// <summary>
/// Batch hashing of 32-bit keys to buckets, one call per batch, against System.IO.Hashing.XxHash3 per key (the
/// baseline: a fast non-cryptographic hash with no independence guarantee) mapped to the same buckets by multiply-high.
/// Keys per second = Keys / mean time. Keys are consecutive column indices, the operators' use.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class HashingBenchmarks
{
    private const int Buckets = 1000;

    private uint[] _keys = [];
    private int[] _buckets = [];
    private readonly MultiplyShift _multiplyShift = new(1, 0);
    private readonly PolynomialHash _polynomial31 = new(4, 1, 0, PrimeField.Mersenne31);
    private readonly PolynomialHash _polynomial61 = new(4, 1, 0, PrimeField.Mersenne61);
    private readonly TabulationHash _simple = TabulationHash.Simple(1, 0);
    private readonly TabulationHash _thorupZhang = TabulationHash.ThorupZhang(1, 0);

    /// <summary>Keys per call: one vector-aligned batch and one odd batch (both in L1).</summary>
    [Params(4096, 4099)]
    public int Keys { get; set; }

    /// <summary>Keys 0 … Keys − 1 and the bucket buffer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _keys = Enumerable.Range(0, Keys).Select(i => (uint)i).ToArray();
        _buckets = new int[Keys];
    }

    /// <summary>XxHash3 of each key's four bytes, then ⌊h·B / 2⁶⁴⌋.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Buckets")]
    public int XxHash3PerKey()
    {
        uint[] keys = _keys;
        int[] buckets = _buckets;
        for (int i = 0; i < keys.Length; i++)
        {
            ulong h = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(ref keys[i])));
            buckets[i] = (int)Math.BigMul(h, Buckets, out _);
        }
        return buckets[^1];
    }

    /// <summary>Multiply-add-shift, 2-wise.</summary>
    [Benchmark, BenchmarkCategory("Buckets")]
    public int MultiplyShift()
    {
        _multiplyShift.Buckets(_keys, Buckets, _buckets);
        return _buckets[^1];
    }

    /// <summary>Degree-3 polynomial over 2³¹ − 1 (4-wise), vectorized.</summary>
    [Benchmark, BenchmarkCategory("Buckets")]
    public int Polynomial4Wise31()
    {
        _polynomial31.Buckets(_keys, Buckets, _buckets);
        return _buckets[^1];
    }

    /// <summary>Degree-3 polynomial over 2⁶¹ − 1 (4-wise), scalar 128-bit products.</summary>
    [Benchmark, BenchmarkCategory("Buckets")]
    public int Polynomial4Wise61()
    {
        _polynomial61.Buckets(_keys, Buckets, _buckets);
        return _buckets[^1];
    }

    /// <summary>Simple tabulation (3-wise), 4 KiB of tables.</summary>
    [Benchmark, BenchmarkCategory("Buckets")]
    public int SimpleTabulation()
    {
        _simple.Buckets(_keys, Buckets, _buckets);
        return _buckets[^1];
    }

    /// <summary>Thorup–Zhang tabulation (5-wise), 1 MiB of tables.</summary>
    [Benchmark, BenchmarkCategory("Buckets")]
    public int ThorupZhangTabulation()
    {
        _thorupZhang.Buckets(_keys, Buckets, _buckets);
        return _buckets[^1];
    }
}
