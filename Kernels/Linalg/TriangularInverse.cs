using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Linalg;

/// <summary>
/// The inverse of a small triangular matrix, written in full (zeros in the other triangle) so that a solve with the
/// triangle becomes one <see cref="Level3.Gemm{T}"/>: the base case of the right-side panel solves in
/// <see cref="BlockedTriangularSolve"/>.
/// </summary>
/// <remarks>
/// <para>W = T⁻¹ is built row by row from T·W = I: for lower T, row i of W is (eᵢ − Σ_{p&lt;i} T[i, p]·W[p, :]) / T[i, i],
/// the sum one <see cref="Level2.Gemv{T}"/> over the rows already built (for upper T the same from the last row up).
/// The cost is k³/6 multiply-adds for order k, in a fixed order, so the result does not depend on threads.</para>
/// <para><b>Accuracy.</b> Each row is a forward substitution, so the computed Ŵ has a small residual relative to
/// |T|·|Ŵ|: |T·Ŵ − I| ≤ c·k·ε·|T|·|Ŵ| (Du Croz and Higham, "Stability of methods for matrix inversion", IMA J. Numer.
/// Anal. 1992, method 2; Higham, <i>Accuracy and Stability</i>, §14.2). Solving X·T = B as X = B·Ŵ therefore has a
/// residual bounded by c·k·ε·|B|·|Ŵ|·|T|, which exceeds the substitution's c·k·ε·|X|·|T| by at most a factor of
/// the order of κ(T) = ‖T‖·‖T⁻¹‖ (Du Croz and Higham's "conditionally stable").</para>
/// </remarks>
internal static class TriangularInverse
{
    /// <summary>Writes T⁻¹ (with T's unit diagonal assumed when <paramref name="diagonal"/> says so) into the k × k <paramref name="inverse"/>.</summary>
    /// <remarks>The caller has validated the shapes; <paramref name="inverse"/> must not overlap <paramref name="t"/>.</remarks>
    public static void Invert<T>(Triangle triangle, Diagonal diagonal, ReadOnlyMatrixView<T> t, MatrixView<T> inverse)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = t.Rows;
        for (int step = 0; step < k; step++)
        {
            int i = triangle == Triangle.Lower ? step : k - 1 - step;
            Span<T> row = inverse.Row(i);
            row.Clear();
            // The rows already built: [0, i) for lower T, (i, k) for upper T; their nonzeros lie in the same columns.
            int first = triangle == Triangle.Lower ? 0 : i + 1;
            int count = triangle == Triangle.Lower ? i : k - 1 - i;
            if (count > 0)
            {
                Span<T> built = row.Slice(first, count);
                Level2.Gemv(Transpose.Transposed, -T.One, inverse.Slice(first, first, count, count), t.Row(i).Slice(first, count), T.Zero, built, BlasOptions.SingleThreaded);
                if (diagonal == Diagonal.NonUnit)
                {
                    UnaryDriver.Run(built, built, new DivideOperator<T>(t[i, i]));
                }
            }
            row[i] = diagonal == Diagonal.NonUnit ? T.One / t[i, i] : T.One;
        }
    }
}
