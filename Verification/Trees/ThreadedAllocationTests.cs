using Kernels.Blas;
using Kernels.Trees;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Trees;

/// <summary>The forest's threaded updates and its queries allocate nothing after warm-up, on any thread of the process.</summary>
[Collection(WholeProcessAllocation.Name)]
public sealed class ThreadedAllocationTests
{
    /// <summary>Two threads and no size threshold, so the leaf products and the per-tree loops all split their work.</summary>
    private static readonly BlasOptions TwoThreads = new() { MaxThreads = 2, ParallelThreshold = 0 };

    [Theory]
    [InlineData(ForestLayout.Wide)]
    [InlineData(ForestLayout.Binary)]
    public void Threaded_updates_and_queries_do_not_allocate(ForestLayout layout)
    {
        const int points = 8, neurons = 3000, dimension = 16, updated = 40;
        var model = new ForestModel(points, neurons, dimension, ValueKind.Uniform, 1);
        var forest = new ThresholdForest(new ReadOnlyMatrixView<float>(model.Weights, neurons, dimension),
            new ReadOnlyMatrixView<float>(model.Data, points, dimension), layout, TwoThreads);
        int[] targets = Enumerable.Range(0, updated).Select(u => u * 71 % neurons).ToArray();
        float[] rows = model.Draw(updated, 2), row = model.Draw(1, 3), all = model.Draw(neurons, 4);
        int[] matches = new int[neurons];
        int[] ascending = Enumerable.Range(0, updated).Select(u => u * 71).ToArray();
        long allocated = Allocation.MeasureProcess(() =>
        {
            forest.UpdateMany(targets, new ReadOnlyMatrixView<float>(rows, updated, dimension));
            forest.Update(5, row);
            forest.Refresh(ascending);
            forest.UpdateAll(new ReadOnlyMatrixView<float>(all, neurons, dimension));
            for (int i = 0; i < points; i++)
            {
                forest.Query(i, 1f, matches);
            }
        });
        Assert.Equal(0, allocated);
    }
}
