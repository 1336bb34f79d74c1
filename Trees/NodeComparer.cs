using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kernels.Simd;

namespace Kernels.Trees;

/// <summary>
/// Compares the <see cref="WideMaxTree.Children"/> (16) entries of a wide node — one 64-byte block of floats — with a
/// threshold: bit c of the mask is set when entry c is ≥ the threshold. The compare is the library's mask-scan
/// driver (<see cref="MaskScan.BlockMask{T, TPredicate}"/>: one 512-bit compare, two 256-bit, four 128-bit or sixteen
/// scalar ones, chosen when the JIT compiles the query), so the traversal (<see cref="WideMaxTree"/>) only walks.
/// </summary>
internal readonly struct NodeComparer(float threshold)
{
    private readonly GreaterOrEqualPredicate<float> _atLeastThreshold = new(threshold);

    /// <summary>The mask of the node whose first entry is <paramref name="node"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Mask(ref float node) =>
        MaskScan.BlockMask(MemoryMarshal.CreateReadOnlySpan(ref node, WideMaxTree.Children), _atLeastThreshold);

    /// <summary>
    /// Writes <c>firstChild + c</c> for every entry c ≥ the threshold, ascending, to <paramref name="destination"/>
    /// and returns how many. May write up to 16 elements whatever the count (branch-free on the 512-bit path): the
    /// caller leaves that much room.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int AppendSelected(ref float node, int firstChild, ref int destination) =>
        MaskScan.BlockIndices(MemoryMarshal.CreateReadOnlySpan(ref node, WideMaxTree.Children), _atLeastThreshold, firstChild,
            MemoryMarshal.CreateSpan(ref destination, WideMaxTree.Children));
}
