using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Kernels.Randomness;

/// <summary>
/// The loop of every <see cref="CounterRandom"/> fill. Philox blocks are taken in groups of
/// <see cref="BlocksPerGroup"/>; group <c>g</c> holds blocks <c>16g … 16g + 15</c> and yields
/// <c>16 · ValuesPerBlock</c> consecutive outputs, laid out row by row (see <see cref="IBlockTransform{TOut}"/>).
/// </summary>
/// <remarks>
/// Sixteen blocks is one AVX-512 vector per counter word, so the vector paths store whole rows without shuffles; the
/// layout is fixed by the group, not by the vector width, so the 256-bit path (two halves) and the scalar path (one
/// block at a time) write the same elements. A fill that starts or ends inside a group computes that whole group
/// into a stack buffer and copies the part it needs: a value is always computed in the same way, wherever the
/// fill starts.
/// </remarks>
internal static class GroupDriver
{
    /// <summary>Philox blocks per group: one lane each in a 512-bit vector of 32-bit words.</summary>
    public const int BlocksPerGroup = 16;

    /// <summary>The most values a group yields: four 32-bit words per block.</summary>
    private const int MaxValuesPerGroup = 4 * BlocksPerGroup;

    /// <summary>
    /// Writes values <c>firstIndex … firstIndex + destination.Length − 1</c> of the sequence defined by
    /// (<paramref name="seed"/>, <paramref name="stream"/>, <paramref name="transform"/>) to <paramref name="destination"/>.
    /// </summary>
    /// <remarks>The caller guarantees that <paramref name="path"/> is supported and that the indices stay below 2⁶³.</remarks>
    public static void Run<TOut, TTransform>(Span<TOut> destination, ulong firstIndex, ulong seed, ulong stream, TTransform transform, VectorPath path)
        where TOut : unmanaged
        where TTransform : struct, IBlockTransform<TOut>
    {
        if (destination.IsEmpty)
        {
            return;
        }
        var counter = new GroupCounter(seed, stream);
        int valuesPerGroup = BlocksPerGroup * transform.ValuesPerBlock;
        ulong group = firstIndex / (ulong)valuesPerGroup;
        int skip = (int)(firstIndex % (ulong)valuesPerGroup);
        int length = destination.Length;
        ref TOut output = ref MemoryMarshal.GetReference(destination);
        Span<TOut> partial = stackalloc TOut[MaxValuesPerGroup];
        int done = 0;

        if (skip != 0 || length < valuesPerGroup)
        {
            WriteGroup(counter, group++, ref MemoryMarshal.GetReference(partial), transform, path);
            done = Math.Min(valuesPerGroup - skip, length);
            partial.Slice(skip, done).CopyTo(destination);
        }
        for (; length - done >= valuesPerGroup; done += valuesPerGroup)
        {
            WriteGroup(counter, group++, ref Unsafe.Add(ref output, done), transform, path);
        }
        if (done < length)
        {
            WriteGroup(counter, group, ref MemoryMarshal.GetReference(partial), transform, path);
            partial[..(length - done)].CopyTo(destination[done..]);
        }
    }

    private static void WriteGroup<TOut, TTransform>(GroupCounter counter, ulong group, ref TOut output, TTransform transform, VectorPath path)
        where TOut : unmanaged
        where TTransform : struct, IBlockTransform<TOut>
    {
        ulong firstBlock = group * BlocksPerGroup;
        // firstBlock is a multiple of 16, so adding a lane index never carries into the high word.
        uint blockLow = (uint)firstBlock, blockHigh = (uint)(firstBlock >> 32);
        if (path == VectorPath.Vector512)
        {
            Vector512<uint> x0 = Vector512.Create(blockLow) + Vector512<uint>.Indices;
            Vector512<uint> x1 = Vector512.Create(blockHigh), x2 = Vector512.Create(counter.Stream0), x3 = Vector512.Create(counter.Stream1);
            Philox4x32.Apply(ref x0, ref x1, ref x2, ref x3, counter.Key0, counter.Key1);
            transform.Store(x0, x1, x2, x3, ref output);
        }
        else if (path == VectorPath.Vector256)
        {
            for (int half = 0; half < BlocksPerGroup; half += Vector256<uint>.Count)
            {
                Vector256<uint> x0 = Vector256.Create(blockLow + (uint)half) + Vector256<uint>.Indices;
                Vector256<uint> x1 = Vector256.Create(blockHigh), x2 = Vector256.Create(counter.Stream0), x3 = Vector256.Create(counter.Stream1);
                Philox4x32.Apply(ref x0, ref x1, ref x2, ref x3, counter.Key0, counter.Key1);
                transform.Store(x0, x1, x2, x3, ref Unsafe.Add(ref output, half));
            }
        }
        else
        {
            for (int lane = 0; lane < BlocksPerGroup; lane++)
            {
                var (w0, w1, w2, w3) = Philox4x32.Apply(blockLow + (uint)lane, blockHigh, counter.Stream0, counter.Stream1, counter.Key0, counter.Key1);
                transform.Store(w0, w1, w2, w3, ref Unsafe.Add(ref output, lane));
            }
        }
    }

    /// <summary>The fixed parts of every counter and the key: the stream's and the seed's 32-bit halves.</summary>
    private readonly struct GroupCounter(ulong seed, ulong stream)
    {
        public uint Key0 { get; } = (uint)seed;
        public uint Key1 { get; } = (uint)(seed >> 32);
        public uint Stream0 { get; } = (uint)stream;
        public uint Stream1 { get; } = (uint)(stream >> 32);
    }
}
