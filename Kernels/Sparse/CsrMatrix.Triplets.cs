using System.Numerics;
using Kernels.Simd;

namespace Kernels.Sparse;

public sealed partial class CsrMatrix<T>
{
    /// <summary>
    /// Builds a matrix from coordinate (COO) triplets <c>(rowIndices[k], columnIndices[k], values[k])</c> given in any
    /// order. Triplets that name the same position are summed, left to right in input order, so the result is the
    /// same on every run; a position whose duplicates cancel is kept as an explicit zero.
    /// </summary>
    /// <remarks>Two stable counting sorts (by column, then by row) order the triplets in O(n + rows + cols) time.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> or <paramref name="cols"/> is negative.</exception>
    /// <exception cref="ArgumentException">The three spans differ in length, an index is out of range, a value is not finite,
    /// or duplicates sum to an infinity; the message names the argument and the position.</exception>
    public static CsrMatrix<T> FromTriplets(int rows, int cols, ReadOnlySpan<int> rowIndices, ReadOnlySpan<int> columnIndices, ReadOnlySpan<T> values)
    {
        ElementType.Require<T>();
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        int n = rowIndices.Length;
        Guard.RequireLength(columnIndices.Length, n, nameof(columnIndices), "one column index per row index");
        Guard.RequireLength(values.Length, n, nameof(values), "one value per row index");
        for (int k = 0; k < n; k++)
        {
            if ((uint)rowIndices[k] >= (uint)rows)
            {
                throw new ArgumentException($"rowIndices[{k}] is {rowIndices[k]}; expected a row in [0, {rows}).", nameof(rowIndices));
            }
            if ((uint)columnIndices[k] >= (uint)cols)
            {
                throw new ArgumentException($"columnIndices[{k}] is {columnIndices[k]}; expected a column in [0, {cols}).", nameof(columnIndices));
            }
            if (!T.IsFinite(values[k]))
            {
                throw new ArgumentException($"values[{k}] is {values[k]}; a sparse matrix stores finite values only.", nameof(values));
            }
        }

        int[] byColumn = StablySortedBy(columnIndices, cols, Enumerable.Range(0, n).ToArray());
        int[] order = StablySortedBy(rowIndices, rows, byColumn);

        var rowPointers = new int[rows + 1];
        var mergedColumns = new int[n];
        var mergedValues = new T[n];
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            int k = order[i];
            int r = rowIndices[k], c = columnIndices[k];
            if (i > 0 && rowIndices[order[i - 1]] == r && columnIndices[order[i - 1]] == c)
            {
                mergedValues[count - 1] += values[k];
                if (!T.IsFinite(mergedValues[count - 1]))
                {
                    throw new ArgumentException(
                        $"The duplicates at ({r}, {c}) sum to {mergedValues[count - 1]}; a sparse matrix stores finite values only.", nameof(values));
                }
                continue;
            }
            mergedColumns[count] = c;
            mergedValues[count] = values[k];
            count++;
            rowPointers[r + 1]++;
        }
        for (int r = 0; r < rows; r++)
        {
            rowPointers[r + 1] += rowPointers[r];
        }
        return new CsrMatrix<T>(rows, cols, rowPointers, mergedColumns[..count], mergedValues[..count]);
    }

    /// <summary>
    /// Counting sort: returns <paramref name="order"/> rearranged so that <c>keys[order[i]]</c> is non-decreasing,
    /// with equal keys left in their order in <paramref name="order"/> (stable).
    /// </summary>
    private static int[] StablySortedBy(ReadOnlySpan<int> keys, int keyCount, int[] order)
    {
        var next = new int[keyCount + 1];
        foreach (int k in order)
        {
            next[keys[k] + 1]++;
        }
        for (int key = 0; key < keyCount; key++)
        {
            next[key + 1] += next[key];
        }
        var sorted = new int[order.Length];
        foreach (int k in order)
        {
            sorted[next[keys[k]]++] = k;
        }
        return sorted;
    }
}
