using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kernels.Trees;

/// <summary>
/// Compares the <see cref="WideMaxTree.Children"/> (16) entries of a wide node with a threshold held in registers:
/// bit c of the mask is set when entry c is ≥ the threshold. One implementation per vector width, chosen once per
/// query, so the traversal is written once (<see cref="WideMaxTree"/>) and specialized by the JIT for each.
/// </summary>
internal interface INodeComparer
{
    /// <summary>The mask of the node whose first entry is <paramref name="node"/>.</summary>
    ulong Mask(ref float node);

    /// <summary>
    /// Writes <c>firstChild + c</c> for every entry c ≥ the threshold, ascending, to <paramref name="destination"/>
    /// and returns how many. May write up to 16 elements whatever the count: the caller leaves that much room.
    /// </summary>
    int AppendSelected(ref float node, int firstChild, ref int destination);
}

/// <summary>One 512-bit compare per node.</summary>
internal readonly struct NodeComparer512(float threshold) : INodeComparer
{
    private readonly Vector512<float> _threshold = Vector512.Create(threshold);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Mask(ref float node) =>
        Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref node), _threshold).ExtractMostSignificantBits();

    /// <summary>Branch-free: compresses the selected child indices into the low lanes and stores all 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int AppendSelected(ref float node, int firstChild, ref int destination)
    {
        Vector512<int> selected = Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref node), _threshold).AsInt32();
        Vector512<int> children = Vector512.Create(firstChild) + Vector512<int>.Indices;
        Avx512F.Compress(Vector512<int>.Zero, selected, children).StoreUnsafe(ref destination);
        return BitOperations.PopCount(selected.ExtractMostSignificantBits());
    }
}

/// <summary>Two 256-bit compares per node.</summary>
internal readonly struct NodeComparer256(float threshold) : INodeComparer
{
    private readonly Vector256<float> _threshold = Vector256.Create(threshold);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Mask(ref float node) =>
        Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref node), _threshold).ExtractMostSignificantBits()
        | (ulong)Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref node, 8), _threshold).ExtractMostSignificantBits() << 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int AppendSelected(ref float node, int firstChild, ref int destination) =>
        WideNode.AppendSetBits(Mask(ref node), firstChild, ref destination);
}

/// <summary>Four 128-bit compares per node.</summary>
internal readonly struct NodeComparer128(float threshold) : INodeComparer
{
    private readonly Vector128<float> _threshold = Vector128.Create(threshold);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Mask(ref float node) =>
        Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref node), _threshold).ExtractMostSignificantBits()
        | (ulong)Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref node, 4), _threshold).ExtractMostSignificantBits() << 4
        | (ulong)Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref node, 8), _threshold).ExtractMostSignificantBits() << 8
        | (ulong)Vector128.GreaterThanOrEqual(Vector128.LoadUnsafe(ref node, 12), _threshold).ExtractMostSignificantBits() << 12;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int AppendSelected(ref float node, int firstChild, ref int destination) =>
        WideNode.AppendSetBits(Mask(ref node), firstChild, ref destination);
}

/// <summary>Sixteen scalar compares per node, for runs without hardware intrinsics.</summary>
internal readonly struct NodeComparerScalar(float threshold) : INodeComparer
{
    public ulong Mask(ref float node)
    {
        ulong mask = 0;
        for (int c = 0; c < WideMaxTree.Children; c++)
        {
            if (Unsafe.Add(ref node, c) >= threshold)
            {
                mask |= 1UL << c;
            }
        }
        return mask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int AppendSelected(ref float node, int firstChild, ref int destination) =>
        WideNode.AppendSetBits(Mask(ref node), firstChild, ref destination);
}
