using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kernels.Simd;

/// <summary>
/// The one compare → bitmask → indices driver, after TensorPrimitives' IndexOf and boolean-mask loops: a
/// <see cref="ILanePredicate{T}"/> compares a vector of elements, <c>ExtractMostSignificantBits</c> turns the comparison
/// into a bitmask, and the set bits are the matching positions. The threshold scans, <c>Level1.ArgMax</c>, the fused
/// threshold products and the trees' node searches all compare through it.
/// </summary>
/// <remarks>
/// <para>Width dispatch is that of the element-wise drivers: 512 → 256 → 128 → scalar, each the widest the runtime
/// accelerates (so <c>DOTNET_EnableAVX512=0</c> and friends select the narrower paths). The loops are written out per
/// width on purpose: one loop generic over a width struct (static abstract Mask per width) measured about 7× slower
/// in <c>Threshold.CompressGreaterOrEqual</c> (2²⁰ floats, 1 % selected: 440–500 µs against 61 µs), the index-writing
/// sink and the width calls no longer all being inlined.</para>
/// <para>Three loop shapes: <see cref="Run{T, TPredicate, TSink}"/> reports every match of a span to a sink (four
/// vectors' masks packed into one 64-bit word per step, so a sparse result costs one sink call per four vectors; the
/// last, overlapping vector has the lanes already scanned cleared); <see cref="IndexOfFirst{T, TPredicate}"/> stops at
/// the first match; <see cref="BlockMask{T, TPredicate}"/> and <see cref="BlockIndices{T, TPredicate}"/> test one
/// 64-byte block (<see cref="BlockLength{T}"/> elements: one 512-bit vector, two 256-bit or four 128-bit), the node
/// of a 16-way float tree.</para>
/// </remarks>
public static class MaskScan
{
    /// <summary>Elements in one 64-byte block: 16 floats or 8 doubles.</summary>
    public static int BlockLength<T>() where T : unmanaged, IFloatingPointIeee754<T> => Vector512<T>.Count;

    /// <summary>
    /// Passes every match of <paramref name="predicate"/> in <paramref name="values"/> to <paramref name="sink"/>, in
    /// ascending order, each once; returns the number of matches.
    /// </summary>
    public static int Run<T, TPredicate, TSink>(ReadOnlySpan<T> values, TPredicate predicate, TSink sink)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
        where TSink : IMatchSink, allows ref struct
    {
        ElementType.Require<T>();
        ref T xs = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            return Run512(ref xs, n, predicate, sink);
        }
        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            return Run256(ref xs, n, predicate, sink);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            return Run128(ref xs, n, predicate, sink);
        }
        int count = 0;
        for (nuint i = 0; i < n; i++)
        {
            if (predicate.Test(Unsafe.Add(ref xs, i)))
            {
                sink.Accept(count, i, 1);
                count++;
            }
        }
        return count;
    }

    /// <summary>The index of the first element of <paramref name="values"/> where <paramref name="predicate"/> holds, or −1.</summary>
    public static int IndexOfFirst<T, TPredicate>(ReadOnlySpan<T> values, TPredicate predicate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
    {
        ElementType.Require<T>();
        ref T xs = ref MemoryMarshal.GetReference(values);
        nuint n = (nuint)values.Length;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            return IndexOfFirst512(ref xs, n, predicate);
        }
        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            return IndexOfFirst256(ref xs, n, predicate);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            return IndexOfFirst128(ref xs, n, predicate);
        }
        for (nuint i = 0; i < n; i++)
        {
            if (predicate.Test(Unsafe.Add(ref xs, i)))
            {
                return (int)i;
            }
        }
        return -1;
    }

    /// <summary>
    /// The mask of the first <see cref="BlockLength{T}"/> elements of <paramref name="block"/>: bit j set where
    /// <paramref name="predicate"/> holds for element j.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is shorter than <see cref="BlockLength{T}"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong BlockMask<T, TPredicate>(ReadOnlySpan<T> block, TPredicate predicate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
    {
        Guard.RequireAtLeast(block.Length, Vector512<T>.Count, nameof(block));
        return MaskOfBlock(ref MemoryMarshal.GetReference(block), predicate);
    }

    /// <summary>
    /// Writes <c>first + j</c> for every element j of the block (the first <see cref="BlockLength{T}"/> elements of
    /// <paramref name="block"/>) where <paramref name="predicate"/> holds, ascending, to the start of
    /// <paramref name="destination"/>, and returns how many. The block's other slots of the destination may be
    /// overwritten too: on the 512-bit float path the indices are compressed into one vector and all of it is stored,
    /// without a branch per match.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> or <paramref name="destination"/> is
    /// shorter than <see cref="BlockLength{T}"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BlockIndices<T, TPredicate>(ReadOnlySpan<T> block, TPredicate predicate, int first, Span<int> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
    {
        Guard.RequireAtLeast(block.Length, Vector512<T>.Count, nameof(block));
        Guard.RequireAtLeast(destination.Length, Vector512<T>.Count, nameof(destination));
        ref T b = ref MemoryMarshal.GetReference(block);
        ref int output = ref MemoryMarshal.GetReference(destination);
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            Vector512<int> selected = predicate.Test(Vector512.LoadUnsafe(ref b)).AsInt32();
            Vector512<int> indices = Vector512.Create(first) + Vector512<int>.Indices;
            Avx512F.Compress(Vector512<int>.Zero, selected, indices).StoreUnsafe(ref output);
            return BitOperations.PopCount(selected.ExtractMostSignificantBits());
        }
        int count = 0;
        foreach (int j in new SetBits(MaskOfBlock(ref b, predicate)))
        {
            Unsafe.Add(ref output, count++) = first + j;
        }
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MaskOfBlock<T, TPredicate>(ref T block, TPredicate predicate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return predicate.Test(Vector512.LoadUnsafe(ref block)).ExtractMostSignificantBits();
        }
        if (Vector256.IsHardwareAccelerated)
        {
            int w = Vector256<T>.Count;
            return predicate.Test(Vector256.LoadUnsafe(ref block)).ExtractMostSignificantBits()
                | (ulong)predicate.Test(Vector256.LoadUnsafe(ref block, (nuint)w)).ExtractMostSignificantBits() << w;
        }
        if (Vector128.IsHardwareAccelerated)
        {
            int w = Vector128<T>.Count;
            return predicate.Test(Vector128.LoadUnsafe(ref block)).ExtractMostSignificantBits()
                | (ulong)predicate.Test(Vector128.LoadUnsafe(ref block, (nuint)w)).ExtractMostSignificantBits() << w
                | (ulong)predicate.Test(Vector128.LoadUnsafe(ref block, (nuint)(2 * w))).ExtractMostSignificantBits() << (2 * w)
                | (ulong)predicate.Test(Vector128.LoadUnsafe(ref block, (nuint)(3 * w))).ExtractMostSignificantBits() << (3 * w);
        }
        ulong mask = 0;
        for (int j = 0; j < Vector512<T>.Count; j++)
        {
            if (predicate.Test(Unsafe.Add(ref block, j)))
            {
                mask |= 1UL << j;
            }
        }
        return mask;
    }

    private static int Run512<T, TPredicate, TSink>(ref T xs, nuint n, TPredicate predicate, TSink sink)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
        where TSink : IMatchSink, allows ref struct
    {
        int w = Vector512<T>.Count;
        int count = 0;
        nuint i = 0;
        for (; i + (nuint)(4 * w) <= n; i += (nuint)(4 * w))
        {
            ulong lanes = predicate.Test(Vector512.LoadUnsafe(ref xs, i)).ExtractMostSignificantBits()
                | predicate.Test(Vector512.LoadUnsafe(ref xs, i + (nuint)w)).ExtractMostSignificantBits() << w
                | predicate.Test(Vector512.LoadUnsafe(ref xs, i + (nuint)(2 * w))).ExtractMostSignificantBits() << (2 * w)
                | predicate.Test(Vector512.LoadUnsafe(ref xs, i + (nuint)(3 * w))).ExtractMostSignificantBits() << (3 * w);
            sink.Accept(count, i, lanes);
            count += BitOperations.PopCount(lanes);
        }
        for (; i + (nuint)w <= n; i += (nuint)w)
        {
            ulong lanes = predicate.Test(Vector512.LoadUnsafe(ref xs, i)).ExtractMostSignificantBits();
            sink.Accept(count, i, lanes);
            count += BitOperations.PopCount(lanes);
        }
        if (i < n)
        {
            nuint start = n - (nuint)w;
            ulong lanes = predicate.Test(Vector512.LoadUnsafe(ref xs, start)).ExtractMostSignificantBits() & (ulong.MaxValue << (int)(i - start));
            sink.Accept(count, start, lanes);
            count += BitOperations.PopCount(lanes);
        }
        return count;
    }

    private static int Run256<T, TPredicate, TSink>(ref T xs, nuint n, TPredicate predicate, TSink sink)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
        where TSink : IMatchSink, allows ref struct
    {
        int w = Vector256<T>.Count;
        int count = 0;
        nuint i = 0;
        for (; i + (nuint)(4 * w) <= n; i += (nuint)(4 * w))
        {
            ulong lanes = predicate.Test(Vector256.LoadUnsafe(ref xs, i)).ExtractMostSignificantBits()
                | (ulong)predicate.Test(Vector256.LoadUnsafe(ref xs, i + (nuint)w)).ExtractMostSignificantBits() << w
                | (ulong)predicate.Test(Vector256.LoadUnsafe(ref xs, i + (nuint)(2 * w))).ExtractMostSignificantBits() << (2 * w)
                | (ulong)predicate.Test(Vector256.LoadUnsafe(ref xs, i + (nuint)(3 * w))).ExtractMostSignificantBits() << (3 * w);
            sink.Accept(count, i, lanes);
            count += BitOperations.PopCount(lanes);
        }
        for (; i + (nuint)w <= n; i += (nuint)w)
        {
            ulong lanes = predicate.Test(Vector256.LoadUnsafe(ref xs, i)).ExtractMostSignificantBits();
            sink.Accept(count, i, lanes);
            count += BitOperations.PopCount(lanes);
        }
        if (i < n)
        {
            nuint start = n - (nuint)w;
            ulong lanes = predicate.Test(Vector256.LoadUnsafe(ref xs, start)).ExtractMostSignificantBits() & (ulong.MaxValue << (int)(i - start));
            sink.Accept(count, start, lanes);
            count += BitOperations.PopCount(lanes);
        }
        return count;
    }

    private static int Run128<T, TPredicate, TSink>(ref T xs, nuint n, TPredicate predicate, TSink sink)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
        where TSink : IMatchSink, allows ref struct
    {
        int w = Vector128<T>.Count;
        int count = 0;
        nuint i = 0;
        for (; i + (nuint)(4 * w) <= n; i += (nuint)(4 * w))
        {
            ulong lanes = predicate.Test(Vector128.LoadUnsafe(ref xs, i)).ExtractMostSignificantBits()
                | (ulong)predicate.Test(Vector128.LoadUnsafe(ref xs, i + (nuint)w)).ExtractMostSignificantBits() << w
                | (ulong)predicate.Test(Vector128.LoadUnsafe(ref xs, i + (nuint)(2 * w))).ExtractMostSignificantBits() << (2 * w)
                | (ulong)predicate.Test(Vector128.LoadUnsafe(ref xs, i + (nuint)(3 * w))).ExtractMostSignificantBits() << (3 * w);
            sink.Accept(count, i, lanes);
            count += BitOperations.PopCount(lanes);
        }
        for (; i + (nuint)w <= n; i += (nuint)w)
        {
            ulong lanes = predicate.Test(Vector128.LoadUnsafe(ref xs, i)).ExtractMostSignificantBits();
            sink.Accept(count, i, lanes);
            count += BitOperations.PopCount(lanes);
        }
        if (i < n)
        {
            nuint start = n - (nuint)w;
            ulong lanes = predicate.Test(Vector128.LoadUnsafe(ref xs, start)).ExtractMostSignificantBits() & (ulong.MaxValue << (int)(i - start));
            sink.Accept(count, start, lanes);
            count += BitOperations.PopCount(lanes);
        }
        return count;
    }

    private static int IndexOfFirst512<T, TPredicate>(ref T xs, nuint n, TPredicate predicate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
    {
        nuint w = (nuint)Vector512<T>.Count;
        nuint i = 0;
        for (; i + w <= n; i += w)
        {
            ulong lanes = predicate.Test(Vector512.LoadUnsafe(ref xs, i)).ExtractMostSignificantBits();
            if (lanes != 0)
            {
                return (int)(i + (nuint)BitOperations.TrailingZeroCount(lanes));
            }
        }
        return i < n ? LastVector(n - w, i, predicate.Test(Vector512.LoadUnsafe(ref xs, n - w)).ExtractMostSignificantBits()) : -1;
    }

    private static int IndexOfFirst256<T, TPredicate>(ref T xs, nuint n, TPredicate predicate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
    {
        nuint w = (nuint)Vector256<T>.Count;
        nuint i = 0;
        for (; i + w <= n; i += w)
        {
            uint lanes = predicate.Test(Vector256.LoadUnsafe(ref xs, i)).ExtractMostSignificantBits();
            if (lanes != 0)
            {
                return (int)(i + (nuint)BitOperations.TrailingZeroCount(lanes));
            }
        }
        return i < n ? LastVector(n - w, i, predicate.Test(Vector256.LoadUnsafe(ref xs, n - w)).ExtractMostSignificantBits()) : -1;
    }

    private static int IndexOfFirst128<T, TPredicate>(ref T xs, nuint n, TPredicate predicate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
    {
        nuint w = (nuint)Vector128<T>.Count;
        nuint i = 0;
        for (; i + w <= n; i += w)
        {
            uint lanes = predicate.Test(Vector128.LoadUnsafe(ref xs, i)).ExtractMostSignificantBits();
            if (lanes != 0)
            {
                return (int)(i + (nuint)BitOperations.TrailingZeroCount(lanes));
            }
        }
        return i < n ? LastVector(n - w, i, predicate.Test(Vector128.LoadUnsafe(ref xs, n - w)).ExtractMostSignificantBits()) : -1;
    }

    /// <summary>The first match in the last, overlapping vector (from <paramref name="start"/>) past the lanes already scanned (below <paramref name="scanned"/>), or −1.</summary>
    private static int LastVector(nuint start, nuint scanned, ulong lanes)
    {
        lanes &= ulong.MaxValue << (int)(scanned - start);
        return lanes == 0 ? -1 : (int)(start + (nuint)BitOperations.TrailingZeroCount(lanes));
    }
}
