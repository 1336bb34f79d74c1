using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kernels.Verification.Kernels.Core;

/// <summary><see cref="LargeArrays.Allocate{T}"/>: zeroed arrays of the asked length, advised for huge pages where Linux offers them, and its bad input.</summary>
public sealed class LargeArraysTests
{
    /// <summary>
    /// Small and large arrays (below and above <see cref="LargeArrays.HugePageThreshold"/>, for an element size that
    /// does not divide a page evenly too) have the asked length, start all zero even where the allocator hands out
    /// memory it does not clear, and keep what is written into them.
    /// </summary>
    [Fact]
    public void Arrays_have_the_length_asked_and_start_zeroed()
    {
        foreach (long length in new long[] { 0, 1, 1000, LargeArrays.HugePageThreshold / sizeof(float) + 3, 3 * LargeArrays.HugePageThreshold / sizeof(float) })
        {
            // A large array's memory may come back from an earlier array: fill one, drop it and collect it first, so that
            // the allocator may hand out its dirty memory again.
            FillAndDrop((int)length);
            GC.Collect();
            float[] array = LargeArrays.Allocate<float>(length);
            Assert.Equal(length, array.Length);
            Assert.Equal(-1, array.AsSpan().IndexOfAnyExcept(0f));
            if (length > 0)
            {
                array[^1] = 3f;
                Assert.Equal(3f, array[^1]);
            }
        }
        var triples = LargeArrays.Allocate<(double, double, double)>(LargeArrays.HugePageThreshold / 24 + 5);
        Assert.All(triples, t => Assert.Equal((0.0, 0.0, 0.0), t));
    }

    /// <summary>
    /// On Linux with transparent huge pages, the whole 2 MiB pages inside a large array are advised: the memory mapping
    /// that holds them carries the <c>hg</c> flag (<c>MADV_HUGEPAGE</c>) in <c>/proc/self/smaps</c>. Elsewhere there is
    /// nothing to check.
    /// </summary>
    [Fact]
    public void A_large_array_is_advised_for_huge_pages_on_Linux()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/sys/kernel/mm/transparent_hugepage/enabled"))
        {
            return;
        }
        float[] array = LargeArrays.Allocate<float>(3 * LargeArrays.HugePageThreshold / sizeof(float));
        long firstPage;
        unsafe
        {
            long start = (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            firstPage = (start + (2L << 20) - 1) & ~((2L << 20) - 1);
        }
        Assert.Contains("hg", FlagsOfMappingHolding(firstPage));
        GC.KeepAlive(array);
    }

    [Fact]
    public void Rejects_negative_and_too_large_lengths()
    {
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => LargeArrays.Allocate<float>(-1)).ParamName);
        var tooLong = Assert.Throws<ArgumentOutOfRangeException>(() => LargeArrays.Allocate<float>((long)Array.MaxLength + 1));
        Assert.Equal("length", tooLong.ParamName);
        Assert.Contains("bytes", tooLong.Message);
    }

    /// <summary>Allocates an uninitialized pinned array like the ones <see cref="LargeArrays"/> hands out, fills it and drops it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FillAndDrop(int length) => GC.AllocateUninitializedArray<float>(length, pinned: true).AsSpan().Fill(7f);

    /// <summary>The VmFlags of the mapping in <c>/proc/self/smaps</c> whose address range holds <paramref name="address"/>.</summary>
    private static string[] FlagsOfMappingHolding(long address)
    {
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && long.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long low)
                && long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long high))
            {
                inside = low <= address && address < high;
            }
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }
        throw new InvalidOperationException($"No mapping in /proc/self/smaps holds 0x{address:x}.");
    }
}
