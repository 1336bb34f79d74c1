using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kernels.Linalg;

/// <summary>
/// Transposed copy of a row-major block. The copy walks 8 × 8 tiles, so that the rows it reads and the rows it
/// writes each stay within eight cache lines per tile: no more than the associativity of L1, which matters when a
/// power-of-two stride maps every row of the source to the same cache set.
/// </summary>
public static class MatrixTranspose
{
    private const int Tile = 8;

    /// <summary>destination[j, i] ← source[i, j]: writes the transpose of <paramref name="source"/> to <paramref name="destination"/>.</summary>
    /// <param name="source">Any rows × columns matrix.</param>
    /// <param name="destination">source.Columns × source.Rows; overwritten; must not share an element with <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong shape or overlaps <paramref name="source"/>.</exception>
    public static void Copy<T>(ReadOnlyMatrixView<T> source, MatrixView<T> destination)
    {
        Guard.RequireShape<T>(destination, source.Columns, source.Rows, nameof(destination), "the columns × rows of source");
        Guard.RequireDisjoint<T>(source, nameof(source), destination, nameof(destination));
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
