using Kernels.Training.Trainers.GaussNewton;

namespace Kernels.Verification.Training.Trainers.GaussNewton;

/// <summary>Bytes this thread allocated between a Gauss-Newton trainer's second report and its last.</summary>
internal sealed class GaussNewtonAllocationProbe : IProgress<GaussNewtonIteration>
{
    private long _atSecond;

    public int Count { get; private set; }

    public long AllocatedAfterSecond { get; private set; }

    public void Report(GaussNewtonIteration value)
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        Count++;
        if (Count == 2)
        {
            _atSecond = now;
        }
        else if (Count > 2)
        {
            AllocatedAfterSecond = now - _atSecond;
        }
    }
}
