using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Kernels.Activations;
using Kernels.Simd;

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
/// <para><b>Query.</b> Depth-first from the top down to the nodes of level 3, then breadth-first inside each of their
/// subtrees (16³ leaf nodes at most): each level's frontier is listed, prefetched, and only then read, so the cache
/// misses of a level overlap (the query is bound by memory latency once the trees outgrow the caches). Children are
/// always taken in ascending order, so leaves are reported in ascending neuron index.</para>
/// </remarks>
internal sealed unsafe class WideMaxTree : TreeLayout
{
    /// <summary>Children per node: 16 floats, one cache line.</summary>
    public const int Children = 16;

    private const int ChildShift = 4;

    /// <summary>Most levels a tree can have: 16⁸ = 2³² exceeds any array length.</summary>
    private const int MaxLevels = 9;

    /// <summary>
    /// Level of the subtree roots ("blocks") below which a query runs breadth-first. A block of level 3 has at most
    /// 16³ leaf nodes, so its frontiers fit on the stack.
    /// </summary>
    private const int BlockLevel = 3;

    /// <summary>How many planned nodes ahead <see cref="Apply"/> and <see cref="Repair"/> prefetch.</summary>
    private const int RepairDistance = 16;

    /// <summary>Room for the leaf nodes under one node of <see cref="BlockLevel"/> (16³), plus 16 of slack.</summary>
    private const int LeafFrontierLength = Children * Children * Children + Children;

    /// <summary>Room for the level-1 nodes under one node of <see cref="BlockLevel"/> (16²), plus 16 of slack.</summary>
    private const int LevelOneFrontierLength = Children * Children + Children;

    /// <summary>All frontiers of one search (about 17 KiB of stack); the level-2 frontier takes the last 32.</summary>
    private const int FrontiersLength = LeafFrontierLength + LevelOneFrontierLength + 2 * Children;

    private readonly int[] _offsets;
    private readonly int[] _lengths;

    /// <summary>The geometry for <paramref name="leaves"/> leaves.</summary>
    /// <exception cref="ArgumentException">A tree would exceed <see cref="int.MaxValue"/> floats.</exception>
    public WideMaxTree(int leaves) : base(leaves)
    {
        var lengths = LevelLengths(leaves);
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

    /// <summary>Floats of each level of a tree over <paramref name="leaves"/> leaves, leaves first.</summary>
    private static List<long> LevelLengths(int leaves)
    {
        var lengths = new List<long> { RoundUp(leaves) };
        while (lengths[^1] > Children)
        {
            lengths.Add(RoundUp(lengths[^1] / Children));
        }
        return lengths;
    }

    /// <summary>Floats of a tree over <paramref name="leaves"/> leaves (≥ 1), which may exceed an array's length.</summary>
    public static long Length(int leaves) => LevelLengths(leaves).Sum();

    /// <summary>Levels of internal nodes above the leaves of a tree over <paramref name="leaves"/> leaves (≥ 1).</summary>
    public static int InternalLevels(int leaves) => LevelLengths(leaves).Count - 1;

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
    public override int MaxPlanLength(int changedLeaves) => MaxPlanLengthAbove(0, changedLeaves);

    /// <inheritdoc/>
    public override int PlanRepairs(ReadOnlySpan<int> changedLeaves, Span<int> plan) => PlanRepairsAbove(0, changedLeaves, plan);

    /// <summary>
    /// As <see cref="PlanRepairs"/>, for changed entries of level <paramref name="level"/> rather than leaves: lists, level
    /// by level upward, every node of level ≥ <paramref name="level"/> with a changed entry below it, as pairs (position
    /// of the node's entry one level up, position of its first child). <paramref name="changedEntries"/> is ascending
    /// and distinct. Returns the plan's length.
    /// </summary>
    public int PlanRepairsAbove(int level, ReadOnlySpan<int> changedEntries, Span<int> plan)
    {
        if (level + 1 >= Levels)
        {
            return 0;
        }
        // The first level: one pair per distinct node; the entries are ascending, so equal nodes are adjacent.
        int length = 0;
        int previous = -1;
        foreach (int entry in changedEntries)
        {
            AddParent(plan, ref length, ref previous, entry, level);
        }
        // The levels above: the entries that changed are exactly the nodes planned one level down, still ascending.
        int start = 0;
        for (int above = level + 1; above + 1 < Levels; above++)
        {
            int end = length;
            previous = -1;
            for (int pair = start; pair < end; pair += 2)
            {
                AddParent(plan, ref length, ref previous, plan[pair] - _offsets[above], above);
            }
            start = end;
        }
        return length;
    }

    /// <summary>Most entries of <see cref="PlanRepairsAbove"/>'s plan for <paramref name="changedEntries"/> distinct
    /// changed entries of level <paramref name="level"/>.</summary>
    public int MaxPlanLengthAbove(int level, int changedEntries)
    {
        int length = 0;
        for (int above = level; above + 1 < Levels; above++)
        {
            length += 2 * Math.Min(changedEntries, _lengths[above] / Children);
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
            // The planned nodes of a level are scattered when few leaves changed: fetch ahead so their misses overlap.
            if (pair + 2 * RepairDistance + 1 < plan.Length)
            {
                WideNode.Prefetch(ref Unsafe.Add(ref t, plan[pair + 2 * RepairDistance + 1]));
            }
            Unsafe.Add(ref t, plan[pair]) = WideNode.Max(ref Unsafe.Add(ref t, plan[pair + 1]));
        }
    }

    /// <summary>
    /// As the base method, but each leaf node's parent entry is recomputed right after its leaves are written, while
    /// the node is still in L1; the level-0 pairs of the plan are exactly those leaf nodes, in the same order.
    /// </summary>
    public override void Apply(Span<float> tree, ReadOnlySpan<int> leaves, ReadOnlySpan<int> sources, ReadOnlySpan<float> values, ReadOnlySpan<int> plan)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            ApplyInRegister(tree, leaves, sources, values, plan);
            return;
        }
        ref float t = ref MemoryMarshal.GetReference(tree);
        int pair = 0;
        int next = 0;
        while (next < leaves.Length)
        {
            // The changed leaf nodes are scattered over the tree: fetch a few ahead so their misses overlap.
            if (pair + 2 * RepairDistance + 1 < plan.Length)
            {
                WideNode.Prefetch(ref Unsafe.Add(ref t, plan[pair + 2 * RepairDistance + 1]));
            }
            int node = leaves[next] >> ChildShift;
            do
            {
                Unsafe.Add(ref t, leaves[next]) = values[sources[next]];
                next++;
            }
            while (next < leaves.Length && leaves[next] >> ChildShift == node);
            if (pair < plan.Length)
            {
                Unsafe.Add(ref t, plan[pair]) = WideNode.Max(ref Unsafe.Add(ref t, plan[pair + 1]));
                pair += 2;
            }
        }
        Repair(tree, plan[pair..]);
    }

    /// <summary>
    /// <see cref="Apply"/> on the 512-bit path: each changed leaf node is loaded once into a register, its new leaves
    /// are blended in lane by lane, and the node is stored whole, its maximum taken from the register. Writing the
    /// leaves one float at a time and then loading the node as a vector (as the narrower paths do) makes the load wait
    /// for those stores to reach the cache, and they cannot until the line has arrived; here nothing waits on the
    /// stores, so the prefetched lines of the following nodes keep arriving. About 30 % faster at n = 16, m = 2²²,
    /// 4.4 % of the neurons changed.
    /// </summary>
    private void ApplyInRegister(Span<float> tree, ReadOnlySpan<int> leaves, ReadOnlySpan<int> sources, ReadOnlySpan<float> values, ReadOnlySpan<int> plan)
    {
        ref float t = ref MemoryMarshal.GetReference(tree);
        ref int leaf = ref MemoryMarshal.GetReference(leaves);
        ref int source = ref MemoryMarshal.GetReference(sources);
        ref float value = ref MemoryMarshal.GetReference(values);
        ref int planned = ref MemoryMarshal.GetReference(plan);
        int distance = 2 * RepairDistance + 1;
        int pair = 0;
        int next = 0;
        int count = leaves.Length;
        while (next < count)
        {
            // The changed leaf nodes are scattered over the tree: fetch a few ahead (into L1, as each is read right away)
            // so their misses overlap.
            if (pair + distance < plan.Length)
            {
                Kernels.Core.Prefetch.Line(Unsafe.AsPointer(ref Unsafe.Add(ref t, Unsafe.Add(ref planned, pair + distance))));
            }
            int first = Unsafe.Add(ref leaf, next);
            int node = first >> ChildShift;
            ref float nodeRef = ref Unsafe.Add(ref t, node << ChildShift);
            Vector512<float> v = Vector512.LoadUnsafe(ref nodeRef);
            int index = first;
            do
            {
                // Lane index & 15 of the node takes the new value.
                var lane = Vector512.Equals(Vector512<int>.Indices, Vector512.Create(index & (Children - 1))).AsSingle();
                v = Vector512.ConditionalSelect(lane, Vector512.Create(Unsafe.Add(ref value, Unsafe.Add(ref source, next))), v);
                next++;
            }
            while (next < count && ((index = Unsafe.Add(ref leaf, next)) >> ChildShift) == node);
            v.StoreUnsafe(ref nodeRef);
            if (pair < plan.Length)
            {
                Unsafe.Add(ref t, Unsafe.Add(ref planned, pair)) = Horizontal.Max(v);
                pair += 2;
            }
        }
        Repair(tree, plan[pair..]);
    }

    /// <summary>
    /// Internal levels whose entries <see cref="ApplyRange"/> writes itself (at most <see cref="MaxRangeLevels"/>): a
    /// caller that splits its changed leaves into ranges aligned to 16^<see cref="RangeLevels"/> leaves
    /// (<see cref="RangeShift"/>) has every node below those levels inside one range, so ranges never write the same
    /// entry and can run on different threads; <see cref="PlanRepairsAbove"/> from level <see cref="RangeLevels"/> lists
    /// the rest.
    /// </summary>
    public int RangeLevels => Math.Min(MaxRangeLevels, Levels - 1);

    /// <summary>Bits of a leaf index below the aligned ranges of <see cref="RangeLevels"/>: leaf j lies in range j &gt;&gt; RangeShift.</summary>
    public int RangeShift => ChildShift * RangeLevels;

    /// <summary>
    /// Most levels <see cref="ApplyRange"/> fuses: nodes of up to 16³ leaves, so aligned ranges of 4096 leaves, which leave
    /// enough ranges for the threads from m = 2¹⁴ on, while the levels left to the plan above are a few lines per tree.
    /// </summary>
    public const int MaxRangeLevels = 3;

    /// <summary>
    /// Writes leaf <paramref name="leaves"/>[t] (ascending, distinct) := <paramref name="values"/>[t] and repairs, while
    /// each node is in L1, every internal entry of levels 1 … <see cref="RangeLevels"/> above them: each changed leaf
    /// node is loaded once, its new leaves blended in and its level-1 entry set from the same register; a node of level
    /// 1 or 2 is closed (its entry one level up recomputed) as soon as the walk leaves it. <paramref name="open"/>
    /// (<see cref="MaxRangeLevels"/> − 1 entries, for levels 1 and 2; −1 when none) keeps the node of each level still open between calls, so a
    /// range may come in several consecutive blocks; <see cref="CloseRange"/> closes them at its end.
    /// <paramref name="nextTree"/>, when not null, is the tree the caller will apply the same leaves to next: its first
    /// nodes are prefetched as this tree's run out.
    /// </summary>
    public void ApplyRange(float* tree, ReadOnlySpan<int> leaves, ReadOnlySpan<float> values, Span<int> open, float* nextTree)
    {
        int levels = RangeLevels;
        int count = leaves.Length;
        ref int leaf = ref MemoryMarshal.GetReference(leaves);
        ref float value = ref MemoryMarshal.GetReference(values);
        float* levelOne = tree + (levels > 0 ? _offsets[1] : 0);
        int next = 0;
        while (next < count)
        {
            // The changed leaf nodes are scattered over the tree: fetch ahead (into L1, each is read right away) so that
            // their misses overlap, and across into the next tree near the end.
            int ahead = next + RangeDistance;
            if (ahead < count)
            {
                int j = Unsafe.Add(ref leaf, ahead);
                Kernels.Core.Prefetch.Line(tree + (j & ~(Children - 1)));
                Kernels.Core.Prefetch.Line(levelOne + (j >> ChildShift));
            }
            else if (nextTree != null && ahead - count < count)
            {
                Kernels.Core.Prefetch.Line(nextTree + (Unsafe.Add(ref leaf, ahead - count) & ~(Children - 1)));
            }
            int first = Unsafe.Add(ref leaf, next);
            int node = first >> ChildShift;
            float* nodeStart = tree + (node << ChildShift);
            if (levels == 0)
            {
                // One node, the top: its leaves only.
                tree[first] = Unsafe.Add(ref value, next++);
                continue;
            }
            Advance(tree, open, node, levels);
            float max;
            if (Vector512.IsHardwareAccelerated)
            {
                // As ApplyInRegister: blend the new leaves into the loaded node and store it whole.
                Vector512<float> v = Vector512.Load(nodeStart);
                int index = first;
                do
                {
                    var lane = Vector512.Equals(Vector512<int>.Indices, Vector512.Create(index & (Children - 1))).AsSingle();
                    v = Vector512.ConditionalSelect(lane, Vector512.Create(Unsafe.Add(ref value, next)), v);
                    next++;
                }
                while (next < count && ((index = Unsafe.Add(ref leaf, next)) >> ChildShift) == node);
                v.Store(nodeStart);
                max = Horizontal.Max(v);
            }
            else
            {
                int index = first;
                do
                {
                    tree[index] = Unsafe.Add(ref value, next);
                    next++;
                }
                while (next < count && ((index = Unsafe.Add(ref leaf, next)) >> ChildShift) == node);
                max = WideNode.Max(ref *nodeStart);
            }
            levelOne[node] = max;
        }
    }

    /// <summary>How many changed leaves ahead <see cref="ApplyRange"/> prefetches.</summary>
    private const int RangeDistance = 24;

    /// <summary>
    /// Before leaf node <paramref name="leafNode"/> is written: closes each open node of levels 1 … levels − 1 that it does
    /// not lie in (bottom up, so an entry is final before the node holding it is read) and opens its own.
    /// </summary>
    private void Advance(float* tree, Span<int> open, int leafNode, int levels)
    {
        for (int level = 1; level < levels; level++)
        {
            int node = leafNode >> (ChildShift * level);
            int current = open[level - 1];
            if (current == node)
            {
                return;
            }
            if (current >= 0)
            {
                Close(tree, level, current);
            }
            open[level - 1] = node;
        }
    }

    /// <summary>Closes every node <see cref="ApplyRange"/> left open in <paramref name="open"/>, bottom up, and marks none open.</summary>
    public void CloseRange(float* tree, Span<int> open)
    {
        int levels = RangeLevels;
        for (int level = 1; level < levels; level++)
        {
            if (open[level - 1] >= 0)
            {
                Close(tree, level, open[level - 1]);
            }
            open[level - 1] = -1;
        }
    }

    /// <summary>Entry <paramref name="node"/> of level <paramref name="level"/> + 1 := the max of node <paramref name="node"/> of level <paramref name="level"/>.</summary>
    private void Close(float* tree, int level, int node) =>
        tree[_offsets[level + 1] + node] = WideNode.Max(ref tree[_offsets[level] + node * Children]);

    /// <inheritdoc/>
    public override int Count(ReadOnlySpan<float> tree, float threshold) => Search(tree, threshold, default(CountOnly));

    /// <inheritdoc/>
    public override int Report(ReadOnlySpan<float> tree, float threshold, Span<int> indices, Span<float> values) =>
        Search(tree, threshold, new LeafWriter(tree[..Leaves], indices, values));

    /// <inheritdoc/>
    public override int Report(ReadOnlySpan<float> tree, float threshold, ActiveSets destination, int row) =>
        Search(tree, threshold, new ActiveRowWriter(tree[..Leaves], destination, row));

    private int Search<TSink>(ReadOnlySpan<float> tree, float threshold, TSink sink) where TSink : IMatchSink, allows ref struct
    {
        return Search(ref MemoryMarshal.GetReference(tree), new NodeComparer(threshold), sink);
    }

    /// <summary>
    /// The search. Subtrees whose root lies on <see cref="BlockLevel"/> or below ("blocks") are expanded
    /// breadth-first (<see cref="ExpandBlock"/>) into the list of leaf nodes that hold a match, then those leaf nodes
    /// are read (<see cref="Emit"/>). Above the blocks the walk is depth-first with an explicit stack: for each level,
    /// the node being visited and, as a mask, its children still to visit. Blocks and children are taken in ascending
    /// order, so the matches come out ascending.
    /// </summary>
    [SkipLocalsInit]
    private int Search<TSink>(ref float tree, NodeComparer comparer, TSink sink)
        where TSink : IMatchSink, allows ref struct
    {
        Span<int> frontiers = stackalloc int[FrontiersLength];
        int top = Levels - 1;
        if (top == 0)
        {
            ulong leaves = comparer.Mask(ref tree);
            sink.Accept(0, 0, leaves);
            return BitOperations.PopCount(leaves);
        }
        if (top <= BlockLevel)
        {
            return Emit(ref tree, comparer, sink, ExpandBlock(ref tree, comparer, top, 0, frontiers), 0);
        }

        Span<int> nodes = stackalloc int[MaxLevels];
        Span<ulong> pending = stackalloc ulong[MaxLevels];
        nodes[top] = 0;
        pending[top] = comparer.Mask(ref Unsafe.Add(ref tree, _offsets[top]));
        WideNode.PrefetchChildren(ref Unsafe.Add(ref tree, _offsets[top - 1]), 0, pending[top]);
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
            if (level == BlockLevel + 1)
            {
                count = Emit(ref tree, comparer, sink, ExpandBlock(ref tree, comparer, BlockLevel, child, frontiers), count);
                continue;
            }
            level--;
            ulong mask = comparer.Mask(ref Unsafe.Add(ref tree, _offsets[level] + child * Children));
            nodes[level] = child;
            pending[level] = mask;
            WideNode.PrefetchChildren(ref Unsafe.Add(ref tree, _offsets[level - 1]), child * Children, mask);
        }
    }

    /// <summary>
    /// Lists, ascending, the leaf nodes below node <paramref name="root"/> of level <paramref name="level"/>
    /// (1 ≤ level ≤ <see cref="BlockLevel"/>) that hold a match, one level at a time: every node of a frontier appends
    /// its selected children to the next frontier (without branching on the 512-bit path), and every node of the new
    /// frontier is prefetched before any of it is read, so a level's cache misses overlap instead of following one
    /// another as in a depth-first walk. The frontiers live in <paramref name="frontiers"/>: the leaf nodes first
    /// (up to 16³), then the level-1 nodes (up to 16²), then the level-2 nodes (up to 16), each with 16 elements of
    /// slack for <see cref="NodeComparer.AppendSelected"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ReadOnlySpan<int> ExpandBlock(ref float tree, NodeComparer comparer, int level, int root, Span<int> frontiers)
    {
        Span<int> next = Frontier(frontiers, level - 1);
        int length = comparer.AppendSelected(ref Unsafe.Add(ref tree, _offsets[level] + root * Children), root << ChildShift,
            ref MemoryMarshal.GetReference(next));
        Prefetch(ref tree, level - 1, next[..length]);
        for (level--; level > 0; level--)
        {
            ReadOnlySpan<int> current = next[..length];
            next = Frontier(frontiers, level - 1);
            ref float nodes = ref Unsafe.Add(ref tree, _offsets[level]);
            ref int output = ref MemoryMarshal.GetReference(next);
            length = 0;
            foreach (int node in current)
            {
                length += comparer.AppendSelected(ref Unsafe.Add(ref nodes, node * Children), node << ChildShift, ref Unsafe.Add(ref output, length));
            }
            Prefetch(ref tree, level - 1, next[..length]);
        }
        return next[..length];
    }

    /// <summary>The part of <paramref name="frontiers"/> that holds a block's frontier on <paramref name="level"/> (0, 1 or 2).</summary>
    private static Span<int> Frontier(Span<int> frontiers, int level) => level switch
    {
        0 => frontiers[..LeafFrontierLength],
        1 => frontiers.Slice(LeafFrontierLength, LevelOneFrontierLength),
        _ => frontiers[(LeafFrontierLength + LevelOneFrontierLength)..],
    };

    /// <summary>Prefetches the listed nodes of <paramref name="level"/> into L2, where they wait until the level is read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Prefetch(ref float tree, int level, ReadOnlySpan<int> nodes)
    {
        ref float start = ref Unsafe.Add(ref tree, _offsets[level]);
        foreach (int node in nodes)
        {
            WideNode.Prefetch(ref Unsafe.Add(ref start, node * Children));
        }
    }

    /// <summary>Passes the matches of the listed leaf nodes to the sink; returns <paramref name="count"/> plus their number.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Emit<TSink>(ref float tree, NodeComparer comparer, TSink sink, ReadOnlySpan<int> leafNodes, int count)
        where TSink : IMatchSink, allows ref struct
    {
        foreach (int leafNode in leafNodes)
        {
            ulong leaves = comparer.Mask(ref Unsafe.Add(ref tree, leafNode * Children));
            sink.Accept(count, (nuint)(leafNode * Children), leaves);
            count += BitOperations.PopCount(leaves);
        }
        return count;
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
