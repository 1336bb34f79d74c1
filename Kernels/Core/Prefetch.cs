using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Kernels.Core;

/// <summary>
/// Software prefetch of a small region into L1 or L2, where the ISA has it (a no-op elsewhere): for loops whose next
/// addresses are data-dependent (gathers, tree walks, scattered rows), which the hardware prefetcher cannot predict. A
/// prefetch never faults, so any address is harmless.
/// </summary>
public static unsafe class Prefetch
{
    /// <summary>Prefetches the cache line holding <paramref name="address"/> into L1; an address past the end of an array is harmless.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Line(void* address)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(address);
        }
    }

    /// <summary>Prefetches every cache line of the <paramref name="bytes"/> bytes starting at <paramref name="start"/> into L1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile(void* start, int bytes) => Lines(start, bytes, intoL2: false);

    /// <summary>
    /// Prefetches every cache line of the <paramref name="bytes"/> bytes starting at <paramref name="start"/> into L2
    /// rather than L1: for rows fetched many at a time ahead of use (scattered rows of a matrix), which are more misses
    /// than L1 keeps in flight and which L1 would evict before their turn.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TileIntoL2(void* start, int bytes) => Lines(start, bytes, intoL2: true);

    /// <summary>Every line of the region, and its last byte's, with the hint for L1 or for L2 (a constant once inlined).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lines(void* start, int bytes, bool intoL2)
    {
        if (Sse.IsSupported)
        {
            byte* p = (byte*)start;
            for (int offset = 0; offset < bytes; offset += 64)
            {
                Hint(p + offset, intoL2);
            }
            Hint(p + bytes - 1, intoL2);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Hint(byte* address, bool intoL2)
    {
        if (intoL2)
        {
            Sse.Prefetch1(address);
        }
        else
        {
            Sse.Prefetch0(address);
        }
    }
}
