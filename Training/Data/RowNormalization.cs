using Kernels.Blas;

namespace Kernels.Training.Data;

/// <summary>Scales rows to unit Euclidean norm, as <see cref="RegressionSet"/> requires.</summary>
public static class RowNormalization
{
    /// <summary>Divides every row of <paramref name="rows"/> by its Euclidean norm, in place.</summary>
    /// <exception cref="ArgumentException">A row is all zeros (it has no direction) or holds a NaN or infinity.</exception>
    public static void Normalize(MatrixView<float> rows)
    {
        for (int i = 0; i < rows.Rows; i++)
        {
            var row = rows.Row(i);
            double squared = SquaredNorm(row);
            if (!double.IsFinite(squared) || squared == 0)
            {
                throw new ArgumentException(
                    $"Row {i} has squared norm {squared}; only finite rows that are not all zero can be normalized.", nameof(rows));
            }
            float scale = (float)(1 / Math.Sqrt(squared));
            for (int k = 0; k < row.Length; k++)
            {
                row[k] *= scale;
            }
        }
    }

    /// <summary>Σ row[k]², accumulated in double so that a float row's norm is exact to double rounding.</summary>
    internal static double SquaredNorm(ReadOnlySpan<float> row)
    {
        double sum = 0;
        foreach (float v in row)
        {
            sum += (double)v * v;
        }
        return sum;
    }
}
