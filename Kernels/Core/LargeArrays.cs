using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kernels.Core;

/// <summary>
/// Zeroed, pinned arrays for large operands (weight matrices of millions of rows, tree storage), asking the operating
/// system for 2 MiB transparent huge pages where it grants them on request: on Linux with transparent huge pages in
/// <c>madvise</c> or <c>always</c> mode, the array's whole 2 MiB pages are advised with <c>madvise(MADV_HUGEPAGE)</c>
/// before they are first touched (NumPy does the same for its large arrays). Elsewhere, or below
/// <see cref="HugePageThreshold"/>, it is an ordinary zeroed array.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> A kernel that reads rows scattered over a large matrix (a sparse update touching a few percent of
/// the rows of W) misses the TLB on almost every row with 4 KiB pages, whose page walks then cost about as much as the
/// row itself; with 2 MiB pages 512 times fewer entries cover the matrix. Measured here: a forest repair over
/// m = 2²² rows of d = 128 (<c>ThresholdForest.Rewrite</c>, 4.4 % of the rows) in 0.89× the time.</para>
/// <para><b>What it costs.</b> Each huge page is zeroed at its first touch, here by the allocation itself, so the
/// allocation takes the time of writing the array once (as <c>new T[]</c> does for large arrays); the kernel may fall
/// back to 4 KiB pages when memory is fragmented, and memory the runtime reuses from an earlier array was already
/// faulted in on small pages (the advice then reaches it only as the kernel's background collapse gets to it): either
/// way only the gain is lost. The array is pinned (it lives on the pinned
/// object heap), so it never moves and a kernel may keep a pointer into it.</para>
/// </remarks>
public static partial class LargeArrays
{
    /// <summary>Arrays of at least this many bytes (4 MiB, two huge pages) are advised; smaller ones are allocated as usual.</summary>
    public const long HugePageThreshold = 4L << 20;

    private const long HugePageBytes = 2L << 20;
    private const int AdviseHugePage = 14; // MADV_HUGEPAGE in <sys/mman.h>

    /// <summary>
    /// A zeroed array of <paramref name="length"/> elements, pinned, on huge pages where the system grants them (see
    /// the class remarks).
    /// </summary>
    /// <typeparam name="T">An unmanaged element type.</typeparam>
    /// <param name="length">Elements, 0 … <see cref="Array.MaxLength"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or more than an array holds
    /// (the message gives the size in bytes).</exception>
    public static T[] Allocate<T>(long length) where T : unmanaged
    {
        if (length < 0 || length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"An array holds 0 … {Array.MaxLength} elements; {length} elements of {Unsafe.SizeOf<T>()} bytes would take {(Int128)length * Unsafe.SizeOf<T>()} bytes.");
        }
        long bytes = length * Unsafe.SizeOf<T>();
        if (bytes < HugePageThreshold || !OperatingSystem.IsLinux())
        {
            return GC.AllocateArray<T>((int)length, pinned: true);
        }
        T[] array = GC.AllocateUninitializedArray<T>((int)length, pinned: true);
        unsafe
        {
            // Only the whole huge pages inside the array: advising a neighbour's memory would change its pages too.
            long start = (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            long first = (start + HugePageBytes - 1) & ~(HugePageBytes - 1);
            long end = (start + bytes) & ~(HugePageBytes - 1);
            if (end > first)
            {
                // A hint: a refusal (huge pages disabled, an old kernel) leaves ordinary pages, which are still correct.
                _ = Native.Advise((nint)first, (nuint)(end - first), AdviseHugePage);
            }
        }
        array.AsSpan().Clear();
        return array;
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "madvise")]
        internal static partial int Advise(nint address, nuint length, int advice);
    }
}
