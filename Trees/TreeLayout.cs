using Kernels.Activations;

namespace Kernels.Trees;

/// <summary>
/// The interface both layouts implement: where a tree keeps its m leaves and its internal maxima, and the four
/// algorithms on one tree — build, repair after leaf changes, threshold search, and an invariant check for the
/// tests. A layout object holds only geometry and is shared by all n trees of a forest; each method receives the
/// floats of one tree (<see cref="TreeLength"/> of them, 64-byte aligned and pinned).
/// </summary>
/// <remarks>
/// <para>Every layout stores the leaves contiguously, leaf j at <c>LeafOffset + j</c>, so that one product call
/// (<c>ThresholdProducts.All</c>) can write the leaves of many trees as a strided matrix. Unused leaf slots (past m) hold −∞, which no threshold a query
/// accepts can reach, so they are never reported.</para>
/// <para>Values are finite (the forest rejects inputs whose inner products could overflow), so max is exact and
/// its result does not depend on the order of the comparisons: both layouts hold the same leaves and return the
/// same answers, in ascending neuron order.</para>
/// </remarks>
internal abstract class TreeLayout
{
    /// <summary>A layout for <paramref name="leaves"/> leaves (m ≥ 1).</summary>
    protected TreeLayout(int leaves) => Leaves = leaves;

    /// <summary>Number of leaves m, one per neuron.</summary>
    public int Leaves { get; }

    /// <summary>Children per internal node.</summary>
    public abstract int FanOut { get; }

    /// <summary>Floats per tree, a multiple of <see cref="TreeStorage.LineFloats"/>.</summary>
    public abstract int TreeLength { get; }

    /// <summary>Position of leaf 0 in a tree.</summary>
    public abstract int LeafOffset { get; }

    /// <summary>Given the m leaves, writes the unused leaf slots and every internal node. O(tree length).</summary>
    public abstract void Build(Span<float> tree);

    /// <summary>Restores the max order after leaf <paramref name="leaf"/> changed, walking up its root path and
    /// stopping at the first ancestor whose value does not change. O(depth · fan-out).</summary>
    public abstract void RepairPath(Span<float> tree, int leaf);

    /// <summary>
    /// Upper bound on the length of <see cref="PlanRepairs"/>'s plan for <paramref name="changedLeaves"/> distinct
    /// changed leaves.
    /// </summary>
    public abstract int MaxPlanLength(int changedLeaves);

    /// <summary>
    /// Lists, bottom level first, every internal node with a changed leaf below it, each once, as pairs
    /// (position of the node, position of its first child). <paramref name="changedLeaves"/> is ascending and
    /// distinct. The plan depends only on which leaves changed, so one plan serves all n trees. Returns its length.
    /// </summary>
    public abstract int PlanRepairs(ReadOnlySpan<int> changedLeaves, Span<int> plan);

    /// <summary>Recomputes, in plan order, each planned node as the max of its <see cref="FanOut"/> children.</summary>
    public abstract void Repair(Span<float> tree, ReadOnlySpan<int> plan);

    /// <summary>
    /// Sets leaf <paramref name="leaves"/>[t] (ascending, distinct) to <paramref name="values"/>[<paramref name="sources"/>[t]],
    /// then carries out the <paramref name="plan"/> that <see cref="PlanRepairs"/> made for those leaves. The values
    /// stay in the caller's order (one per update, repeats included), so no gathered copy of them is needed.
    /// </summary>
    public virtual void Apply(Span<float> tree, ReadOnlySpan<int> leaves, ReadOnlySpan<int> sources, ReadOnlySpan<float> values, ReadOnlySpan<int> plan)
    {
        Span<float> leafSlots = tree.Slice(LeafOffset, Leaves);
        for (int t = 0; t < leaves.Length; t++)
        {
            leafSlots[leaves[t]] = values[sources[t]];
        }
        Repair(tree, plan);
    }

    /// <summary>
    /// Returns the number of leaves with value ≥ <paramref name="threshold"/>. The threshold is not NaN and not −∞:
    /// the forest maps −∞ to −float.MaxValue, which every finite value reaches and the −∞ padding does not.
    /// </summary>
    public abstract int Count(ReadOnlySpan<float> tree, float threshold);

    /// <summary>Writes every leaf j with value ≥ <paramref name="threshold"/> to <paramref name="indices"/>, and its
    /// value to <paramref name="values"/> unless that is empty, in ascending order, and returns the count; the caller
    /// guarantees the room.</summary>
    public abstract int Report(ReadOnlySpan<float> tree, float threshold, Span<int> indices, Span<float> values);

    /// <summary>Writes every leaf j with value ≥ <paramref name="threshold"/> and its value, in ascending order, to row
    /// <paramref name="row"/> of <paramref name="destination"/> (growing it as needed) and returns the count; the
    /// caller commits it.</summary>
    public abstract int Report(ReadOnlySpan<float> tree, float threshold, ActiveSets destination, int row);

    /// <summary>Describes the first place where an internal node differs from the max of its children or
    /// padding is not −∞; null when the tree is consistent. For tests; O(tree length).</summary>
    public abstract string? FindViolation(ReadOnlySpan<float> tree);
}
