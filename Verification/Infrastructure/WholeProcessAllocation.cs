namespace Kernels.Verification.Infrastructure;

/// <summary>
/// The test collection of <see cref="Allocation.MeasureProcess"/>: xunit runs it alone, after the parallel
/// collections, so the allocation counter of the whole process sees only the calls under test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeProcessAllocation
{
    /// <summary>The collection's name, for <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "Whole-process allocation";
}
