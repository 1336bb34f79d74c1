using System.Numerics;
using Kernels.Blas;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Blas;

/// <summary>
/// The register-tiled transposing copy against its definition, element by element and bit for bit, on shapes that
/// cross every tile size (8, 4, 2, 1) in both directions, with padded strides; nothing outside the block is written.
/// </summary>
public sealed unsafe class BlockTransposeTests
{
    [KernelProperty(MaxTest = 100)]
    public void The_copy_is_the_transpose_and_writes_nothing_else(ulong seed)
    {
        var random = new Random((int)(seed % int.MaxValue));
        int lines = random.Next(0, 27), length = random.Next(0, 27);
        int sourceStride = length + random.Next(0, 5), destinationStride = lines + random.Next(0, 5);
        Check<float>(random, lines, length, sourceStride, destinationStride);
        Check<double>(random, lines, length, sourceStride, destinationStride);
    }

    [Fact]
    public void Every_tile_edge_is_covered()
    {
        var random = new Random(11);
        int[] sizes = [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 33];
        foreach (int lines in sizes)
        {
            foreach (int length in sizes)
            {
                Check<float>(random, lines, length, length + 1, lines + 3);
                Check<double>(random, lines, length, length, lines);
            }
        }
    }

    private static void Check<T>(Random random, int lines, int length, int sourceStride, int destinationStride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A distinct value per source element (exact in float), and a sentinel everywhere in the destination.
        var source = new T[Math.Max(1, lines * sourceStride)];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = T.CreateChecked(i + 1) * (random.Next(2) == 0 ? T.One : T.NegativeOne);
        }
        var destination = new T[Math.Max(1, length * destinationStride)];
        Array.Fill(destination, T.NaN);
        fixed (T* s = source)
        fixed (T* d = destination)
        {
            BlockTranspose.Copy(s, sourceStride, lines, length, d, destinationStride);
        }
        string shape = $"{typeof(T).Name} {lines} lines × {length}, strides {sourceStride}/{destinationStride}";
        for (int t = 0; t < length; t++)
        {
            for (int l = 0; l < destinationStride; l++)
            {
                T actual = destination[t * destinationStride + l];
                T expected = l < lines ? source[l * sourceStride + t] : T.NaN;
                Tolerance.AssertIdentical(expected, actual, $"{shape}: destination[{t}, {l}]");
            }
        }
    }
}
