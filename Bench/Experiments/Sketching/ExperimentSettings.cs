namespace Kernels.Bench.Experiments.Sketching;

/// <summary>The grid of one run: the seeds every cell is repeated over, and whether it is the small CI grid.</summary>
internal sealed record ExperimentSettings(bool Quick, ulong[] Seeds)
{
    public static ExperimentSettings For(bool quick) =>
        new(quick, Enumerable.Range(0, quick ? 2 : 5).Select(i => 1001UL + (ulong)i).ToArray());
}
