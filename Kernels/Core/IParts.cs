namespace Kernels.Core;

/// <summary>
/// One piece of work split into numbered parts that may run on any thread in any order; <see cref="ParallelParts"/>
/// runs it. Implement it on a struct that holds what the parts share (pointers or arrays, dimensions), so that
/// dispatching it allocates nothing.
/// </summary>
public interface IParts
{
    /// <summary>Runs part <paramref name="part"/>; what a part computes must not depend on which thread runs it.</summary>
    void Run(int part);
}
