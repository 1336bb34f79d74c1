using System.Numerics;
using Kernels.Blas;

namespace Kernels.Sketching.Diagnostics;

/// <summary>
/// The pairwise-distance check of the Johnson–Lindenstrauss lemma: how much a sketch stretches or shrinks the squared
/// distances between points. Points are the columns of the matrices, as <see cref="Operators.ISketch{T}"/> sketches
/// columns: column i of the embedded matrix is S times column i of the original.
/// </summary>
public static class DistanceRatios
{
    /// <summary>
    /// The range of ‖Sxᵢ − Sxⱼ‖² / ‖xᵢ − xⱼ‖² over all pairs i &lt; j whose original distance is not zero (scikit-learn's
    /// test skips those too). Distances are accumulated in double.
    /// </summary>
    /// <param name="original">The points x₀ … x_(n−1) as the columns of an N × n matrix.</param>
    /// <param name="embedded">Their images as the columns of an s × n matrix.</param>
    /// <exception cref="ArgumentException">The two matrices have different column counts.</exception>
    public static DistanceRatioRange PairwiseSquared<T>(ReadOnlyMatrixView<T> original, ReadOnlyMatrixView<T> embedded)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (embedded.Columns != original.Columns)
        {
            throw new ArgumentException($"embedded has {embedded.Columns} columns; expected one per original point ({original.Columns}).", nameof(embedded));
        }
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        int pairs = 0;
        for (int i = 0; i < original.Columns; i++)
        {
            for (int j = i + 1; j < original.Columns; j++)
            {
                double before = SquaredDistance(original, i, j);
                if (before == 0)
                {
                    continue;
                }
                double ratio = SquaredDistance(embedded, i, j) / before;
                min = Math.Min(min, ratio);
                max = Math.Max(max, ratio);
                pairs++;
            }
        }
        return new DistanceRatioRange(min, max, pairs);
    }

    private static double SquaredDistance<T>(ReadOnlyMatrixView<T> points, int i, int j) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int r = 0; r < points.Rows; r++)
        {
            double difference = double.CreateChecked(points[r, i]) - double.CreateChecked(points[r, j]);
            sum += difference * difference;
        }
        return sum;
    }
}
