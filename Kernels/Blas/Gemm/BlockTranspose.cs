using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kernels.Blas;

/// <summary>
/// The transposing copy at the heart of a packing step whose source runs across the panel lanes:
/// <c>destination[t·destinationStride + l] = source[l·sourceStride + t]</c> for l &lt; lines, t &lt; length. Each source
/// line is read along its unit stride and becomes one lane (column) of the destination.
/// </summary>
/// <remarks>
/// <para>The block is covered by square register tiles, transposed with in-lane unpacks and 128-bit lane permutes:
/// 8 × 8 floats or 4 × 4 doubles in 256-bit registers when 256-bit vectors are accelerated (also on the 512-bit path:
/// the copy is bound by its loads and stores, and a 256-bit tile store fills exactly one micro-panel row piece of the
/// 128-bit and 256-bit kernels' panels as well), then 4 × 4 floats or 2 × 2 doubles in 128-bit registers, then
/// scalar copies for what is left. Only x86 has these shuffles as intrinsics; elsewhere the copy is scalar.</para>
/// <para>A transpose moves values without arithmetic, so every path gives the same bits.</para>
/// </remarks>
internal static unsafe class BlockTranspose
{
    /// <summary>destination[t·destinationStride + l] ← source[l·sourceStride + t] for l &lt; <paramref name="lines"/>, t &lt; <paramref name="length"/>.</summary>
    public static void Copy<T>(T* source, nint sourceStride, int lines, int length, T* destination, nint destinationStride) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            CopySingle((float*)source, sourceStride, lines, length, (float*)destination, destinationStride);
        }
        else if (typeof(T) == typeof(double))
        {
            CopyDouble((double*)source, sourceStride, lines, length, (double*)destination, destinationStride);
        }
        else
        {
            CopyScalar(source, sourceStride, lines, length, destination, destinationStride);
        }
    }

    private static void CopySingle(float* source, nint sourceStride, int lines, int length, float* destination, nint destinationStride)
    {
        int tile = Vector256.IsHardwareAccelerated && Avx.IsSupported ? 8 : Vector128.IsHardwareAccelerated && Sse.IsSupported ? 4 : 1;
        CopyTiles(source, sourceStride, lines, length, destination, destinationStride, tile);
    }

    private static void CopyDouble(double* source, nint sourceStride, int lines, int length, double* destination, nint destinationStride)
    {
        int tile = Vector256.IsHardwareAccelerated && Avx.IsSupported ? 4 : Vector128.IsHardwareAccelerated && Sse2.IsSupported ? 2 : 1;
        CopyTiles(source, sourceStride, lines, length, destination, destinationStride, tile);
    }

    /// <summary>
    /// Covers the largest multiple-of-<paramref name="tile"/> corner with tiles of that size, then the two strips left
    /// over (the last lines, and the tail of the other lines) with the next smaller tile, down to scalar copies.
    /// </summary>
    private static void CopyTiles<T>(T* source, nint sourceStride, int lines, int length, T* destination, nint destinationStride, int tile) where T : unmanaged
    {
        if (tile == 1)
        {
            CopyScalar(source, sourceStride, lines, length, destination, destinationStride);
            return;
        }
        int tiledLines = lines / tile * tile, tiledLength = length / tile * tile;
        for (int l = 0; l < tiledLines; l += tile)
        {
            T* from = source + l * sourceStride;
            T* to = destination + l;
            for (int t = 0; t < tiledLength; t += tile)
            {
                Tile(from + t, sourceStride, to + t * destinationStride, destinationStride, tile);
            }
        }
        // Floats go 8 → 4 → 1 and doubles 4 → 2 → 1: the register tiles of the narrower vector width, then scalars.
        int smaller = tile == 2 || (tile == 4 && typeof(T) == typeof(float)) ? 1 : tile / 2;
        if (tiledLength < length)
        {
            CopyTiles(source + tiledLength, sourceStride, tiledLines, length - tiledLength, destination + tiledLength * destinationStride, destinationStride, smaller);
        }
        if (tiledLines < lines)
        {
            CopyTiles(source + tiledLines * sourceStride, sourceStride, lines - tiledLines, length, destination + tiledLines, destinationStride, smaller);
        }
    }

    /// <summary>One square tile of <paramref name="size"/> (8 or 4 floats, 4 or 2 doubles) in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<T>(T* source, nint sourceStride, T* destination, nint destinationStride, int size) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            if (size == 8)
            {
                Tile8x8((float*)source, sourceStride, (float*)destination, destinationStride);
            }
            else
            {
                Tile4x4((float*)source, sourceStride, (float*)destination, destinationStride);
            }
        }
        else if (size == 4)
        {
            Tile4x4((double*)source, sourceStride, (double*)destination, destinationStride);
        }
        else
        {
            Tile2x2((double*)source, sourceStride, (double*)destination, destinationStride);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile8x8(float* s, nint ss, float* d, nint ds)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ss), r2 = Avx.LoadVector256(s + 2 * ss), r3 = Avx.LoadVector256(s + 3 * ss);
        Vector256<float> r4 = Avx.LoadVector256(s + 4 * ss), r5 = Avx.LoadVector256(s + 5 * ss), r6 = Avx.LoadVector256(s + 6 * ss), r7 = Avx.LoadVector256(s + 7 * ss);
        // Pairs of lines interleaved, then pairs of pairs: within each 128-bit lane, 4 × 4 transposes.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        // Low lanes hold positions 0–3 of every line, high lanes 4–7: join lines 0–3 with lines 4–7.
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ds, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ds, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ds, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ds, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ds, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ds, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ds, Avx.Permute2x128(u3, u7, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x4(float* s, nint ss, float* d, nint ds)
    {
        Vector128<float> r0 = Sse.LoadVector128(s), r1 = Sse.LoadVector128(s + ss), r2 = Sse.LoadVector128(s + 2 * ss), r3 = Sse.LoadVector128(s + 3 * ss);
        Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackHigh(r0, r1), t2 = Sse.UnpackLow(r2, r3), t3 = Sse.UnpackHigh(r2, r3);
        Sse.Store(d, Sse.MoveLowToHigh(t0, t2));
        Sse.Store(d + ds, Sse.MoveHighToLow(t2, t0));
        Sse.Store(d + 2 * ds, Sse.MoveLowToHigh(t1, t3));
        Sse.Store(d + 3 * ds, Sse.MoveHighToLow(t3, t1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x4(double* s, nint ss, double* d, nint ds)
    {
        Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ss), r2 = Avx.LoadVector256(s + 2 * ss), r3 = Avx.LoadVector256(s + 3 * ss);
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + ds, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + 2 * ds, Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + 3 * ds, Avx.Permute2x128(t1, t3, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile2x2(double* s, nint ss, double* d, nint ds)
    {
        Vector128<double> r0 = Sse2.LoadVector128(s), r1 = Sse2.LoadVector128(s + ss);
        Sse2.Store(d, Sse2.UnpackLow(r0, r1));
        Sse2.Store(d + ds, Sse2.UnpackHigh(r0, r1));
    }

    private static void CopyScalar<T>(T* source, nint sourceStride, int lines, int length, T* destination, nint destinationStride) where T : unmanaged
    {
        for (int l = 0; l < lines; l++)
        {
            T* from = source + l * sourceStride;
            T* to = destination + l;
            for (int t = 0; t < length; t++)
            {
                to[t * destinationStride] = from[t];
            }
        }
    }
}
