using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Kernels.Activations;

namespace Kernels.Trees;

/// <summary>
/// The wide layout, the default: a max-tree whose nodes have <see cref="Children"/> = 16 children stored
/// contiguously, so that a node is one 64-byte cache line, one <c>Vector512&lt;float&gt;</c> or two
/// <c>Vector256&lt;float&gt;</c>. A query compares all children of a node at once and follows the set bits of the
/// mask; a repair recomputes a node's maximum with one vector reduction.
/// </summary>
/// <remarks>
/// <para><b>Levels.</b> Level 0 holds the m leaves, padded with −∞ to a multiple of 16. Entry e of level ℓ + 1 is
/// the max of node e of level ℓ (entries 16e … 16e + 15), and each level is again padded with −∞ to a multiple of
/// 16. The top level is a single node of 16 entries; when m ≤ 16 that node is the leaf level itself. Levels are
/// stored one after another, leaves first, each starting on a cache line.</para>
/// <para><b>Memory.</b> Σ over levels of ⌈⌈m/16^ℓ⌉/16⌉·16 floats, which is m·(1 + 1/15) plus at most 15 padding
/// floats per level (about 16/15·m + 16·levels). The depth is ⌈log₁₆ m⌉ internal levels, 5 for m = 2²⁰.</para>
/// <para><b>Order.</b> The traversal is depth-first with children in ascending order, so leaves are reported in
/// ascending neuron index.</para>
/// </remarks>
internal sealed class WideMaxTree : TreeLayout
{
    /// <summary>Children per node: 16 floats, one cache line.</summary>
    public const int Children = 16;

    private const int ChildShift = 4;

    /// <summary>Most levels a tree can have: 16⁸ = 2³² exceeds any array length.</summary>
    private const int MaxLevels = 9;

    private readonly int[] _offsets;
    private readonly int[] _lengths;

    /// <summary>The geometry for <paramref name="leaves"/> leaves.</summary>
    /// <exception cref="ArgumentException">A tree would exceed <see cref="int.MaxValue"/> floats.</exception>
    public WideMaxTree(int leaves) : base(leaves)
    {
        var lengths = new List<long> { RoundUp(leaves) };
        while (lengths[^1] > Children)
        {
            lengths.Add(RoundUp(lengths[^1] / Children));
        }
        long total = lengths.Sum();
        if (total > int.MaxValue)
        {
            throw new ArgumentException($"A wide tree over {leaves} leaves needs {total} floats, more than an array can hold.", "weights");
        }
        _lengths = lengths.Select(l => (int)l).ToArray();
        _offsets = new int[_lengths.Length];
        for (int level = 1; level < _lengths.Length; level++)
        {
            _offsets[level] = _offsets[level - 1] + _lengths[level - 1];
        }
        TreeLength = (int)total;
    }

    /// <summary>Number of levels, leaves included; the top level is one node.</summary>
    public int Levels => _lengths.Length;

    /// <inheritdoc/>
    public override int FanOut => Children;

    /// <inheritdoc/>
    public override int TreeLength { get; }

    /// <inheritdoc/>
    public override int LeafOffset => 0;

    /// <inheritdoc/>
    public override void Build(Span<float> tree)
    {
        tree[Leaves.._lengths[0]].Fill(float.NegativeInfinity);
        for (int level = 0; level + 1 < Levels; level++)
        {
            int nodes = _lengths[level] / Children;
            ref float child = ref tree[_offsets[level]];
            Span<float> parents = tree.Slice(_offsets[level + 1], _lengths[level + 1]);
            for (int node = 0; node < nodes; node++)
            {
                parents[node] = WideNode.Max(ref Unsafe.Add(ref child, node * Children));
            }
            parents[nodes..].Fill(float.NegativeInfinity);
        }
    }

    /// <inheritdoc/>
    public override void RepairPath(Span<float> tree, int leaf)
    {
        ref float t = ref MemoryMarshal.GetReference(tree);
        int entry = leaf;
        for (int level = 0; level + 1 < Levels; level++)
        {
            int node = entry >> ChildShift;
            float max = WideNode.Max(ref Unsafe.Add(ref t, _offsets[level] + node * Children));
            ref float parent = ref Unsafe.Add(ref t, _offsets[level + 1] + node);
            if (parent == max)
            {
                return;
            }
            parent = max;
            entry = node;
        }
    }

    /// <inheritdoc/>
    public override int MaxPlanLength(int changedLeaves)
    {
        int length = 0;
        for (int level = 0; level + 1 < Levels; level++)
        {
            length += 2 * Math.Min(changedLeaves, _lengths[level] / Children);
        }
        return length;
    }

    /// <inheritdoc/>
    public override int PlanRepairs(ReadOnlySpan<int> changedLeaves, Span<int> plan)
    {
        if (Levels == 1)
        {
            return 0;
        }
        // Level 0: one pair per distinct leaf node; the leaves are ascending, so equal nodes are adjacent.
        int length = 0;
        int previous = -1;
        foreach (int leaf in changedLeaves)
        {
            AddParent(plan, ref length, ref previous, leaf, 0);
        }
        // Level ℓ ≥ 1: the entries that changed are exactly the nodes planned one level down, still ascending.
        int start = 0;
        for (int level = 1; level + 1 < Levels; level++)
        {
            int end = length;
            previous = -1;
            for (int pair = start; pair < end; pair += 2)
            {
                AddParent(plan, ref length, ref previous, plan[pair] - _offsets[level], level);
            }
            start = end;
        }
        return length;
    }

    /// <summary>Plans the node of level <paramref name="level"/> that holds <paramref name="entry"/>, unless it was the last one planned.</summary>
    private void AddParent(Span<int> plan, ref int length, ref int previous, int entry, int level)
    {
        int node = entry >> ChildShift;
        if (node != previous)
        {
            plan[length++] = _offsets[level + 1] + node;
            plan[length++] = _offsets[level] + node * Children;
            previous = node;
        }
    }

    /// <inheritdoc/>
    public override void Repair(Span<float> tree, ReadOnlySpan<int> plan)
    {
        ref float t = ref MemoryMarshal.GetReference(tree);
        for (int pair = 0; pair + 1 < plan.Length; pair += 2)
        {
            Unsafe.Add(ref t, plan[pair]) = WideNode.Max(ref Unsafe.Add(ref t, plan[pair + 1]));
        }
    }

    /// <inheritdoc/>
    public override int Count(ReadOnlySpan<float> tree, float threshold) => Search(tree, threshold, default(CountOnly));

    /// <inheritdoc/>
    public override int Report(ReadOnlySpan<float> tree, float threshold, Span<int> destination) =>
        Search(tree, threshold, new IndexWriter(destination, 0));

    private int Search<TSink>(ReadOnlySpan<float> tree, float threshold, TSink sink) where TSink : IMatchSink, allows ref struct
    {
        ref float t = ref MemoryMarshal.GetReference(tree);
        if (Vector512.IsHardwareAccelerated)
        {
            return Search(ref t, new NodeComparer512(threshold), sink);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            return Search(ref t, new NodeComparer256(threshold), sink);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            return Search(ref t, new NodeComparer128(threshold), sink);
        }
        return Search(ref t, new NodeComparerScalar(threshold), sink);
    }

    /// <summary>
    /// Depth-first descent with an explicit stack: for each level, the node being visited and the children of it
    /// still to visit (a mask). Children found at level 1 are leaf nodes, whose mask goes straight to the sink.
    /// </summary>
    [SkipLocalsInit]
    private int Search<TComparer, TSink>(ref float tree, TComparer comparer, TSink sink)
        where TComparer : struct, INodeComparer
        where TSink : IMatchSink, allows ref struct
    {
        int top = Levels - 1;
        ulong topMask = comparer.Mask(ref Unsafe.Add(ref tree, _offsets[top]));
        if (top == 0)
        {
            sink.Accept(0, 0, topMask);
            return BitOperations.PopCount(topMask);
        }

        Span<int> nodes = stackalloc int[MaxLevels];
        Span<ulong> pending = stackalloc ulong[MaxLevels];
        nodes[top] = 0;
        pending[top] = topMask;
        WideNode.PrefetchChildren(ref Unsafe.Add(ref tree, _offsets[top - 1]), 0, topMask);
        int count = 0;
        int level = top;
        while (true)
        {
            ulong bits = pending[level];
            if (bits == 0)
            {
                if (++level > top)
                {
                    return count;
                }
                continue;
            }
            pending[level] = bits & (bits - 1);
            int child = (nodes[level] << ChildShift) + BitOperations.TrailingZeroCount(bits);
            if (level == 1)
            {
                ulong leaves = comparer.Mask(ref Unsafe.Add(ref tree, child * Children));
                sink.Accept(count, (nuint)(child * Children), leaves);
                count += BitOperations.PopCount(leaves);
                continue;
            }
            level--;
            ulong mask = comparer.Mask(ref Unsafe.Add(ref tree, _offsets[level] + child * Children));
            nodes[level] = child;
            pending[level] = mask;
            WideNode.PrefetchChildren(ref Unsafe.Add(ref tree, _offsets[level - 1]), child * Children, mask);
        }
    }

    /// <inheritdoc/>
    public override string? FindViolation(ReadOnlySpan<float> tree)
    {
        for (int leaf = 0; leaf < _lengths[0]; leaf++)
        {
            if (leaf < Leaves ? !float.IsFinite(tree[leaf]) : tree[leaf] != float.NegativeInfinity)
            {
                return $"leaf slot {leaf} holds {tree[leaf]} (m = {Leaves})";
            }
        }
        for (int level = 0; level + 1 < Levels; level++)
        {
            int nodes = _lengths[level] / Children;
            for (int entry = 0; entry < _lengths[level + 1]; entry++)
            {
                float expected = float.NegativeInfinity;
                for (int c = 0; entry < nodes && c < Children; c++)
                {
                    expected = MathF.Max(expected, tree[_offsets[level] + entry * Children + c]);
                }
                float actual = tree[_offsets[level + 1] + entry];
                if (actual != expected)
                {
                    return $"level {level + 1} entry {entry} holds {actual}; the max of its children is {expected}";
                }
            }
        }
        return null;
    }

    private static long RoundUp(long count) => (count + Children - 1) / Children * Children;
}
