using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers;
using Kernels.Training.Trainers.GaussNewton;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training;

/// <summary>
/// Threaded Gauss-Newton steps allocate nothing in the whole process after warm-up. Measured per iteration with
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/>, between consecutive reports; the least over iterations 3 … 13 must be
/// 0 (the test host allocates a little on its own now and then, see <see cref="Allocation.MeasureProcess"/>; an
/// allocation made by every step shows in every iteration).
/// </summary>
[Collection(WholeProcessAllocation.Name)]
public sealed class ThreadedAllocationTests
{
    [Fact]
    public void ThreadedStepsAllocateNothing()
    {
        var data = SyntheticRegression.Sphere(12, 32, 5);
        foreach (bool sublinear in new[] { false, true })
        {
            var model = new TwoLayerShiftedRelu(1 << 15, 32, 5);
            var options = new GaussNewtonOptions { MaxIterations = 14 };
            ITrainer<TwoLayerShiftedRelu, RegressionSet, GaussNewtonIteration> trainer =
                sublinear ? new GaussNewtonSublinear(options) : new GaussNewtonDense(options);
            var probe = new ProcessAllocationProbe(firstMeasured: 3);
            trainer.Train(model, data, probe);
            Assert.True(probe.Least == 0, $"{(sublinear ? "sublinear" : "dense")}: every iteration allocated, at least {probe.Least} bytes");
        }
    }

    private sealed class ProcessAllocationProbe(int firstMeasured) : IProgress<GaussNewtonIteration>
    {
        private long _previous;

        public long Least { get; private set; } = long.MaxValue;

        public void Report(GaussNewtonIteration value)
        {
            long now = GC.GetTotalAllocatedBytes(precise: true);
            if (value.Iteration >= firstMeasured)
            {
                Least = Math.Min(Least, now - _previous);
            }
            _previous = GC.GetTotalAllocatedBytes(precise: true);
        }
    }
}
