using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kernels.Activations;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Kernels.Trees;

namespace Kernels.Bench.Micro;

/// <summary>
/// Threshold queries on a <see cref="ThresholdForest"/> of n = 16 trees (<see cref="ForestWorkload"/>): the wide
/// layout and the binary reference against the honest baseline, a SIMD scan of the same cached leaf values with
/// <see cref="Threshold.CompressGreaterOrEqual{T}"/>. Every invocation queries all 16 trees, so the trees (72 MB
/// wide at m = 2²⁰) compete for the caches as they would in a trainer; figures are per query (per tree). Also single
/// neuron updates, wide against binary.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ThresholdForestBenchmarks
{
    private const string Query = "Query";
    private const string Update = "Update";
    private const int UpdatesPerInvoke = 64;

    private ThresholdForest _wide = null!;
    private ThresholdForest _binary = null!;
    private int[] _destination = [];
    private float[] _rows = [];
    private int _nextUpdate;
    private float _threshold;

    /// <summary>Neurons m: the 2²⁰ and 2¹⁶.</summary>
    [Params(65_536, 1_048_576)]
    public int M { get; set; }

    /// <summary>Percentage of leaves at or above τ: the 0.5 %, and 5 % to show where the scan catches up.</summary>
    [Params(0.5, 5.0)]
    public double ActivePercent { get; set; }

    /// <summary>Seeded forests of both layouts over the same data, and rows for the updates.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var weights = new ReadOnlyMatrixView<float>(ForestWorkload.Weights(M, 1), M, ForestWorkload.Dimension);
        var data = new ReadOnlyMatrixView<float>(ForestWorkload.Data(2), ForestWorkload.DataPoints, ForestWorkload.Dimension);
        _wide = new ThresholdForest(weights, data);
        _binary = new ThresholdForest(weights, data, ForestLayout.Binary);
        _destination = new int[M];
        _rows = ForestWorkload.Weights(UpdatesPerInvoke, 3);
        _threshold = ForestWorkload.Threshold(ActivePercent / 100);
        long active = Enumerable.Range(0, ForestWorkload.DataPoints).Sum(i => (long)_wide.Count(i, _threshold));
        Console.WriteLine($"// m = {M}: τ = {_threshold:F4} selects {100.0 * active / ((long)M * ForestWorkload.DataPoints):F3} % of the leaves "
            + $"(the paper's b = {ForestWorkload.PaperThreshold(M):F4})");
    }

    /// <summary>The baseline: scan each tree's m cached leaf values with <see cref="Threshold.CompressGreaterOrEqual{T}"/>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = ForestWorkload.DataPoints), BenchmarkCategory(Query)]
    public int ScanLeaves()
    {
        int total = 0;
        for (int i = 0; i < ForestWorkload.DataPoints; i++)
        {
            total += Threshold.CompressGreaterOrEqual(_wide.Values(i), _threshold, _destination);
        }
        return total;
    }

    /// <summary><see cref="ThresholdForest.Query"/> on the wide layout (16 children per node).</summary>
    [Benchmark(OperationsPerInvoke = ForestWorkload.DataPoints), BenchmarkCategory(Query)]
    public int QueryWide() => QueryAllTrees(_wide);

    /// <summary><see cref="ThresholdForest.Query"/> on the binary reference layout.</summary>
    [Benchmark(OperationsPerInvoke = ForestWorkload.DataPoints), BenchmarkCategory(Query)]
    public int QueryBinary() => QueryAllTrees(_binary);

    /// <summary><see cref="ThresholdForest.Update"/> on the binary reference layout: one product call for its 16 leaves and 16 root paths.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = UpdatesPerInvoke), BenchmarkCategory(Update)]
    public float UpdateBinary() => UpdateNeurons(_binary);

    /// <summary><see cref="ThresholdForest.Update"/> on the wide layout.</summary>
    [Benchmark(OperationsPerInvoke = UpdatesPerInvoke), BenchmarkCategory(Update)]
    public float UpdateWide() => UpdateNeurons(_wide);

    private int QueryAllTrees(ThresholdForest forest)
    {
        int total = 0;
        for (int i = 0; i < ForestWorkload.DataPoints; i++)
        {
            total += forest.Query(i, _threshold, _destination);
        }
        return total;
    }

    /// <summary>Gives 64 neurons, spread over the whole range, new Gaussian weights; successive calls move on.</summary>
    private float UpdateNeurons(ThresholdForest forest)
    {
        for (int u = 0; u < UpdatesPerInvoke; u++)
        {
            int j = (int)((_nextUpdate++ * 2_654_435_761L) % M);
            forest.Update(j, _rows.AsSpan(u * ForestWorkload.Dimension, ForestWorkload.Dimension));
        }
        return forest.Value(0, 0);
    }
}
