using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Kernels.Core;

/// <summary>
/// Software prefetch of a small region into L1, where the ISA has it (a no-op elsewhere): for loops whose next
/// addresses are data-dependent (gathers, tree walks), which the hardware prefetcher cannot predict. A prefetch never
/// faults, so any address is harmless.
/// </summary>
public static unsafe class Prefetch
{
    /// <summary>Prefetches the cache line holding <paramref name="address"/>; an address past the end of an array is harmless.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Line(void* address)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(address);
        }
    }

    /// <summary>Prefetches every cache line of the <paramref name="bytes"/> bytes starting at <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile(void* start, int bytes)
    {
        if (Sse.IsSupported)
        {
            byte* p = (byte*)start;
            for (int offset = 0; offset < bytes; offset += 64)
            {
                Sse.Prefetch0(p + offset);
            }
            Sse.Prefetch0(p + bytes - 1);
        }
    }

    /// <summary>
    /// Prefetches every cache line of the <paramref name="bytes"/> bytes starting at <paramref name="start"/> into L2
    /// rather than L1: for rows fetched many at a time ahead of use (scattered rows of a matrix), which are more misses
    /// than L1 keeps in flight and which L1 would evict before their turn.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TileIntoL2(void* start, int bytes)
    {
        if (Sse.IsSupported)
        {
            byte* p = (byte*)start;
            for (int offset = 0; offset < bytes; offset += 64)
            {
                Sse.Prefetch1(p + offset);
            }
            Sse.Prefetch1(p + bytes - 1);
        }
    }
}
