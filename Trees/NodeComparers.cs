using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
}

/// <summary>One 512-bit compare per node.</summary>
internal readonly struct NodeComparer512(float threshold) : INodeComparer
{
    private readonly Vector512<float> _threshold = Vector512.Create(threshold);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Mask(ref float node) =>
        Vector512.GreaterThanOrEqual(Vector512.LoadUnsafe(ref node), _threshold).ExtractMostSignificantBits();
}

/// <summary>Two 256-bit compares per node.</summary>
internal readonly struct NodeComparer256(float threshold) : INodeComparer
{
    private readonly Vector256<float> _threshold = Vector256.Create(threshold);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Mask(ref float node) =>
        Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref node), _threshold).ExtractMostSignificantBits()
        | (ulong)Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref node, 8), _threshold).ExtractMostSignificantBits() << 8;
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
}
