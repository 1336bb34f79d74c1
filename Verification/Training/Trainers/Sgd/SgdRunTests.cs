using Kernels.Blas;
using Kernels.Training.Models;
using Kernels.Training.Trainers.Sgd;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training.Trainers.Sgd;

/// <summary>A training step (forward with dropout, backward, momentum update) allocates nothing in the whole process after warm-up, threaded or not.</summary>
[Collection(WholeProcessAllocation.Name)]
public sealed class SgdRunTests
{
    [Fact]
    public void StepsAllocateNothingAfterWarmUp()
    {
        var data = ClassificationSamples.Random(100, 64, 10, 3);
        foreach (var blas in new[] { BlasOptions.SingleThreaded, new BlasOptions { MaxThreads = 2, ParallelThreshold = 1 } })
        {
            foreach (var model in new[] { Mlp.HashedNet(8, 1, hidden: 128, inputs: 64), Mlp.ThinNet(4, 1, hidden: 128, inputs: 64) })
            {
                var run = new SgdRun(model, data, new SgdOptions { BatchSize = 50, Blas = blas });
                run.Shuffle(0);
                int batch = 0;
                long bytes = Allocation.MeasureProcess(() => run.Step(batch++ % 2, 0.01f));
                Assert.True(bytes == 0, $"threads {blas.MaxThreads}: a step allocated {bytes} bytes");
            }
        }
    }
}
