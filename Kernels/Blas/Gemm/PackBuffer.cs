using System.Runtime.InteropServices;

namespace Kernels.Blas;

/// <summary>
/// A thread's scratch for Gemm's packed panels: native memory aligned to a 64-byte cache line, grown on demand and
/// kept for the thread's later calls, so a Gemm allocates nothing once every thread that runs its stripes has run
/// one at least as large.
/// </summary>
/// <remarks>
/// <para>The buffer lives as long as its thread: a finalizer frees the memory once the thread has exited (or once a
/// nested call's buffer is displaced, see <see cref="Return"/>). Its size is bounded by the cache blocking,
/// (MC·KC + KC·NC) elements: about 2.7 MiB per thread for float with the default <see cref="GemmBlocking"/>.</para>
/// <para><see cref="Rent"/> takes the buffer out of the thread's slot, so a Gemm started on the same thread while
/// another one packs (a panel source that itself multiplies) gets a buffer of its own instead of overwriting the
/// outer call's panels.</para>
/// </remarks>
internal sealed unsafe class PackBuffer
{
    /// <summary>The alignment of <see cref="Start"/>, and the granularity <see cref="RoundUpToLine"/> rounds to.</summary>
    public const int Line = 64;

    [ThreadStatic]
    private static PackBuffer? s_ofThisThread;

    private nuint _capacity;

    private PackBuffer()
    {
    }

    ~PackBuffer() => NativeMemory.AlignedFree(Start);

    /// <summary>The first byte, aligned to <see cref="Line"/> bytes; null until something is reserved.</summary>
    public byte* Start { get; private set; }

    /// <summary>This thread's buffer with room for at least <paramref name="bytes"/> bytes; give it back with <see cref="Return"/>.</summary>
    public static PackBuffer Rent(nuint bytes)
    {
        PackBuffer buffer = s_ofThisThread ?? new PackBuffer();
        s_ofThisThread = null;
        buffer.Reserve(bytes);
        return buffer;
    }

    /// <summary>Makes <paramref name="buffer"/> this thread's buffer again (the buffer of an inner, nested call is replaced by the outer one).</summary>
    public static void Return(PackBuffer buffer) => s_ofThisThread = buffer;

    /// <summary><paramref name="bytes"/> rounded up to a whole number of cache lines, so a region placed after it stays aligned.</summary>
    public static nuint RoundUpToLine(nuint bytes) => (bytes + Line - 1) & ~(nuint)(Line - 1);

    private void Reserve(nuint bytes)
    {
        if (bytes <= _capacity)
        {
            return;
        }
        // The old contents are scratch: free first, so the peak is the new size only.
        NativeMemory.AlignedFree(Start);
        Start = null;
        _capacity = 0;
        Start = (byte*)NativeMemory.AlignedAlloc(bytes, Line);
        _capacity = bytes;
    }
}
