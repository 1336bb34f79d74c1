using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kernels.Activations;
using Kernels.Simd;

namespace Kernels.Trees;

/// <summary>
/// The reference layout: the seed paper's binary max-tree (Algorithms 2–4) as an implicit heap. With
/// P = 2^⌈log₂ m⌉, node 1 is the root, node k has children 2k and 2k + 1, and leaf j is node P + j; leaves
/// m … P − 1 are −∞. Position 0 is unused.
/// </summary>
/// <remarks>
/// <para><b>Memory.</b> 2P floats, rounded up to a cache line: 2m when m is a power of two, less than 4m otherwise.</para>
/// <para><b>Algorithms.</b> Scalar, as in the paper: a repair recomputes max(h[2k], h[2k + 1]) up the root path;
/// a query descends into every child whose value is ≥ the threshold, left child first, so leaves come out in
/// ascending order. The traversal needs no stack: after a subtree it climbs while it is at a right child, then
/// steps to the right sibling.</para>
/// </remarks>
internal sealed class BinaryMaxHeap : TreeLayout
{
    private readonly int _firstLeaf;

    /// <summary>The geometry for <paramref name="leaves"/> leaves.</summary>
    /// <exception cref="ArgumentException">A tree would exceed <see cref="int.MaxValue"/> floats.</exception>
    public BinaryMaxHeap(int leaves) : base(leaves)
    {
        long firstLeaf = (long)BitOperations.RoundUpToPowerOf2((uint)leaves);
        long length = Length(leaves);
        if (length > int.MaxValue)
        {
            throw new ArgumentException($"A binary heap over {leaves} leaves needs {length} floats, more than an array can hold.", "weights");
        }
        _firstLeaf = (int)firstLeaf;
        TreeLength = (int)length;
    }

    /// <summary>Floats of a tree over <paramref name="leaves"/> leaves (≥ 1): 2·2^⌈log₂ m⌉, rounded up to a cache line.</summary>
    public static long Length(int leaves) =>
        (2 * (long)BitOperations.RoundUpToPowerOf2((uint)leaves) + TreeStorage.LineFloats - 1) / TreeStorage.LineFloats * TreeStorage.LineFloats;

    /// <summary>Levels of internal nodes above the leaves of a tree over <paramref name="leaves"/> leaves.</summary>
    public static int InternalLevels(int leaves) => BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)leaves));

    /// <inheritdoc/>
    public override int FanOut => 2;

    /// <inheritdoc/>
    public override int TreeLength { get; }

    /// <inheritdoc/>
    public override int LeafOffset => _firstLeaf;

    /// <inheritdoc/>
    public override void Build(Span<float> tree)
    {
        tree[(_firstLeaf + Leaves)..(2 * _firstLeaf)].Fill(float.NegativeInfinity);
        for (int k = _firstLeaf - 1; k >= 1; k--)
        {
            tree[k] = MathF.Max(tree[2 * k], tree[2 * k + 1]);
        }
    }

    /// <inheritdoc/>
    public override void RepairPath(Span<float> tree, int leaf)
    {
        ref float h = ref MemoryMarshal.GetReference(tree);
        for (int k = (_firstLeaf + leaf) >> 1; k >= 1; k >>= 1)
        {
            float max = MathF.Max(Unsafe.Add(ref h, 2 * k), Unsafe.Add(ref h, 2 * k + 1));
            if (Unsafe.Add(ref h, k) == max)
            {
                return;
            }
            Unsafe.Add(ref h, k) = max;
        }
    }

    /// <inheritdoc/>
    public override int MaxPlanLength(int changedLeaves)
    {
        int length = 0;
        for (int nodes = _firstLeaf / 2; nodes >= 1; nodes /= 2)
        {
            length += 2 * Math.Min(changedLeaves, nodes);
        }
        return length;
    }

    /// <inheritdoc/>
    public override int PlanRepairs(ReadOnlySpan<int> changedLeaves, Span<int> plan)
    {
        int length = 0;
        int previous = 0;
        foreach (int leaf in changedLeaves)
        {
            AddParent(plan, ref length, ref previous, _firstLeaf + leaf);
        }
        // Each pass plans the parents of the nodes the previous pass planned, until only the root was.
        int start = 0;
        while (length - start > 0 && plan[start] > 1)
        {
            int end = length;
            previous = 0;
            for (int pair = start; pair < end; pair += 2)
            {
                AddParent(plan, ref length, ref previous, plan[pair]);
            }
            start = end;
        }
        return length;
    }

    /// <summary>Plans the parent of node <paramref name="k"/> (k ≥ 2), unless it was the last one planned.</summary>
    private static void AddParent(Span<int> plan, ref int length, ref int previous, int k)
    {
        int parent = k >> 1;
        if (parent != previous && parent >= 1)
        {
            plan[length++] = parent;
            plan[length++] = 2 * parent;
            previous = parent;
        }
    }

    /// <inheritdoc/>
    public override void Repair(Span<float> tree, ReadOnlySpan<int> plan)
    {
        ref float h = ref MemoryMarshal.GetReference(tree);
        for (int pair = 0; pair + 1 < plan.Length; pair += 2)
        {
            int first = plan[pair + 1];
            Unsafe.Add(ref h, plan[pair]) = MathF.Max(Unsafe.Add(ref h, first), Unsafe.Add(ref h, first + 1));
        }
    }

    /// <inheritdoc/>
    public override int Count(ReadOnlySpan<float> tree, float threshold) => Search(tree, threshold, default(CountOnly));

    /// <inheritdoc/>
    public override int Report(ReadOnlySpan<float> tree, float threshold, Span<int> indices, Span<float> values) =>
        Search(tree, threshold, new LeafWriter(tree.Slice(_firstLeaf, Leaves), indices, values));

    /// <inheritdoc/>
    public override int Report(ReadOnlySpan<float> tree, float threshold, ActiveSets destination, int row) =>
        Search(tree, threshold, new ActiveRowWriter(tree.Slice(_firstLeaf, Leaves), destination, row));

    private int Search<TSink>(ReadOnlySpan<float> tree, float threshold, TSink sink) where TSink : IMatchSink, allows ref struct
    {
        ref float h = ref MemoryMarshal.GetReference(tree);
        int firstLeaf = _firstLeaf;
        int count = 0;
        int k = 1;
        while (true)
        {
            if (Unsafe.Add(ref h, k) >= threshold)
            {
                if (k < firstLeaf)
                {
                    k <<= 1;
                    continue;
                }
                sink.Accept(count, (nuint)(k - firstLeaf), 1);
                count++;
            }
            // Done with the subtree of k: climb past right children, then move to the right sibling.
            while ((k & 1) != 0)
            {
                k >>= 1;
            }
            if (k == 0)
            {
                return count;
            }
            k++;
        }
    }

    /// <inheritdoc/>
    public override string? FindViolation(ReadOnlySpan<float> tree)
    {
        for (int leaf = 0; leaf < _firstLeaf; leaf++)
        {
            float value = tree[_firstLeaf + leaf];
            if (leaf < Leaves ? !float.IsFinite(value) : value != float.NegativeInfinity)
            {
                return $"leaf slot {leaf} holds {value} (m = {Leaves})";
            }
        }
        for (int k = 1; k < _firstLeaf; k++)
        {
            float expected = MathF.Max(tree[2 * k], tree[2 * k + 1]);
            if (tree[k] != expected)
            {
                return $"node {k} holds {tree[k]}; the max of its children is {expected}";
            }
        }
        return null;
    }
}
