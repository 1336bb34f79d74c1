using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Kernels.Trees;

namespace Kernels.Bench.Micro;

/// <summary>
/// Refreshing a wide <see cref="ThresholdForest"/> of n = 16 trees (<see cref="ForestWorkload"/>) after U of its m
/// neurons changed: <see cref="ThresholdForest.UpdateMany"/> (one product call for the U·n new leaves, then a level-by-level
/// repair) against the baseline <see cref="ThresholdForest.UpdateAll"/> (one product call for all n·m leaves, then a full
/// rebuild). The sweep over U/m locates the crossover.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ThresholdForestRefreshBenchmarks
{
    private const string Refresh = "Refresh";

    private ThresholdForest _forest = null!;
    private float[] _weights = [];
    private float[] _rows = [];
    private int[] _changed = [];

    /// <summary>Neurons m: the 2²⁰ and 2¹⁶.</summary>
    [Params(65_536, 1_048_576)]
    public int M { get; set; }

    /// <summary>Percentage of the neurons changed: the sweep, and 50 % to bracket the crossover.</summary>
    [Params(0.1, 1.0, 5.0, 10.0, 25.0, 50.0)]
    public double UpdatedPercent { get; set; }

    /// <summary>A seeded forest, U distinct neurons in random order (as a trainer would list them), and their new rows.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _weights = ForestWorkload.Weights(M, 1);
        var data = new ReadOnlyMatrixView<float>(ForestWorkload.Data(2), ForestWorkload.DataPoints, ForestWorkload.Dimension);
        _forest = new ThresholdForest(new ReadOnlyMatrixView<float>(_weights, M, ForestWorkload.Dimension), data);
        int updated = (int)Math.Round(M * UpdatedPercent / 100);
        var random = new System.Random(4);
        int[] all = Enumerable.Range(0, M).ToArray();
        random.Shuffle(all);
        _changed = all[..updated];
        _rows = ForestWorkload.Weights(updated, 5);
    }

    /// <summary>The baseline: recompute every leaf with one product call and rebuild every tree.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(Refresh)]
    public float RecomputeAll()
    {
        _forest.UpdateAll(new ReadOnlyMatrixView<float>(_weights, M, ForestWorkload.Dimension));
        return _forest.Value(0, 0);
    }

    /// <summary>Recompute only the U changed neurons' leaves and repair their ancestors. Applying the same rows again
    /// does the same work, so every invocation is alike.</summary>
    [Benchmark, BenchmarkCategory(Refresh)]
    public float UpdateMany()
    {
        _forest.UpdateMany(_changed, new ReadOnlyMatrixView<float>(_rows, _changed.Length, ForestWorkload.Dimension));
        return _forest.Value(0, 0);
    }
}
