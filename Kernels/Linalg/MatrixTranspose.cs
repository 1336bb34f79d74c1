using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kernels.Blas;

namespace Kernels.Linalg;

/// <summary>
/// Transposed copy of a row-major block. The copy walks 8 × 8 tiles, so that the rows it reads and the rows it
/// writes each stay within eight cache lines per tile: no more than the associativity of L1, which matters when a
/// power-of-two stride maps every row of the source to the same cache set.
/// </summary>
internal static class MatrixTranspose
{
    private const int Tile = 8;

    /// <summary>destination[j, i] ← source[i, j]; the caller guarantees that destination is source.Columns × source.Rows and disjoint from it.</summary>
    public static void Copy<T>(ReadOnlyMatrixView<T> source, MatrixView<T> destination)
    {
        int rows = source.Rows, cols = source.Columns;
        if (rows == 0 || cols == 0)
        {
            return;
        }
        ref T src = ref MemoryMarshal.GetReference(source.Data);
        ref T dst = ref MemoryMarshal.GetReference(destination.Data);
        nint ss = source.Stride, ds = destination.Stride;
        for (int i0 = 0; i0 < rows; i0 += Tile)
        {
            int i1 = Math.Min(rows, i0 + Tile);
            for (int j0 = 0; j0 < cols; j0 += Tile)
            {
                int j1 = Math.Min(cols, j0 + Tile);
                for (int i = i0; i < i1; i++)
                {
                    ref T row = ref Unsafe.Add(ref src, i * ss);
                    for (int j = j0; j < j1; j++)
                    {
                        Unsafe.Add(ref dst, j * ds + i) = Unsafe.Add(ref row, j);
                    }
                }
            }
        }
    }
}
