using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers.Recurrent;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training.Trainers.Recurrent;

/// <summary>
/// Threaded Elman training steps allocate nothing in the whole process after warm-up, measured between consecutive
/// reports with <see cref="GC.GetTotalAllocatedBytes(bool)"/>; the least over steps 3 … 11 must be 0 (as in
/// <see cref="Training.ThreadedAllocationTests"/>: the host allocates now and then, a per-step allocation shows every step).
/// m = 512 and N = 16 make each step's Gemm (N·m² = 4M multiply-adds) large enough to run threaded.
/// </summary>
[Collection(WholeProcessAllocation.Name)]
public sealed class ElmanAllocationTests
{
    [Fact]
    public void ThreadedStepsAllocateNothing()
    {
        var data = SyntheticSequences.Separable<float>(32, 3, 8, 4, 1);
        foreach (bool sgd in new[] { false, true })
        {
            var model = new ElmanRnn<float>(512, 8, 4, 2);
            var probe = new ProcessAllocationProbe(firstMeasured: 3);
            ElmanTrainer<float> trainer = sgd
                ? new ElmanSgd<float>(new ElmanSgdOptions { StepSize = 1e-4, MaxIterations = 12, BatchSize = 16, TrainInput = true, TrainOutput = true })
                : new ElmanGradientDescent<float>(new ElmanGradientDescentOptions { StepSize = 1e-4, MaxIterations = 12, TrainInput = true });
            trainer.Train(model, data, probe);
            Assert.True(probe.Least == 0, $"{(sgd ? "SGD" : "GD")}: every step allocated, at least {probe.Least} bytes");
        }
    }

    private sealed class ProcessAllocationProbe(int firstMeasured) : IProgress<ElmanIteration>
    {
        private long _previous;

        public long Least { get; private set; } = long.MaxValue;

        public void Report(ElmanIteration value)
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
