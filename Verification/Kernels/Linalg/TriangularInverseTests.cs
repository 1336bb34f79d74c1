using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Linalg;

/// <summary>
/// <see cref="TriangularInverse"/>: every entry of the output is written, the other triangle is exactly zero, and the
/// computed Ŵ satisfies the substitution bound |T·Ŵ − I| ≤ (k + 2)·ε·|T|·|Ŵ| elementwise (Higham, §14.2, method 2), with
/// T·Ŵ evaluated exactly (compensated, in double) as the textbook product. The unused triangle of T, a unit diagonal
/// and the stride padding hold NaN, so reading any of them fails the check.
/// </summary>
public sealed class TriangularInverseTests
{
    [KernelProperty(MaxTest = 60)]
    public void The_inverse_leaves_a_componentwise_small_residual_and_zeros_in_the_other_triangle(TriangularCase c)
    {
        Check<float>(c);
        Check<double>(c);
    }

    private static void Check<T>(TriangularCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = c.Order, ts = k + c.ExtraStride;
        T[] t = c.StoredTriangle<T>();
        T[] w = Enumerable.Repeat(T.NaN, k * k).ToArray();
        TriangularInverse.Invert(c.Triangle, c.Diagonal, new ReadOnlyMatrixView<T>(t, k, k, ts), new MatrixView<T>(w, k, k));

        // T as a dense double matrix, with the unit diagonal made explicit.
        var dense = new double[k * k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                bool stored = c.Triangle == Triangle.Lower ? j < i : j > i;
                dense[i * k + j] = i == j ? (c.Diagonal == Diagonal.Unit ? 1 : double.CreateChecked(t[i * ts + j])) : stored ? double.CreateChecked(t[i * ts + j]) : 0;
            }
        }
        var row = new double[k];
        var column = new double[k];
        for (int j = 0; j < k; j++)
        {
            for (int p = 0; p < k; p++)
            {
                bool inOtherTriangle = c.Triangle == Triangle.Lower ? j > p : j < p;
                if (inOtherTriangle)
                {
                    Tolerance.AssertIdentical(T.Zero, w[p * k + j], $"{typeof(T).Name} W[{p},{j}] outside the triangle, {c}");
                }
                column[p] = double.CreateChecked(w[p * k + j]);
            }
            for (int i = 0; i < k; i++)
            {
                dense.AsSpan(i * k, k).CopyTo(row);
                var (value, magnitude) = Reference.Dot<double>(row, column);
                Tolerance.AssertClose(T.CreateChecked(i == j ? 1 : 0), value, magnitude, k + 2, $"{typeof(T).Name} (T·W)[{i},{j}] vs I, {c}");
            }
        }
    }
}
