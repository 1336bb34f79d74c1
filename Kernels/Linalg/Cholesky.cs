using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Linalg;

/// <summary>
/// Cholesky factorization A = L·Lᵀ of a symmetric positive definite matrix, in place on its lower triangle, and
/// solves with the factor.
/// </summary>
/// <remarks>
/// <para><b>Storage.</b> Only the lower triangle of A (diagonal included) is read; the factor L overwrites it and the
/// strictly upper triangle is neither read nor written, so it may hold anything (another matrix, or Aᵀ's copy).</para>
/// <para><b>Algorithm.</b> Recursive right-looking blocking (Gustavson; Elmroth et al., SIAM Review 2004): with
/// A = [A₁₁ ·; A₂₁ A₂₂] split near the middle, factor A₁₁ = L₁₁L₁₁ᵀ, solve L₂₁ = A₂₁·L₁₁⁻ᵀ
/// (<see cref="TriangularSolve"/>, right side), update A₂₂ ← A₂₂ − L₂₁·L₂₁ᵀ on its lower triangle only
/// (<see cref="SymmetricRankUpdate"/>, half the flops of a Gemm), and factor A₂₂. Blocks of order at most
/// <see cref="BaseOrder"/> are factored by the dot-product (Cholesky–Banachiewicz) loop. All but O(n²·64) of the
/// n³/3 multiply-adds run in <see cref="Level3.Gemm{T}"/>, threaded by <see cref="BlasOptions"/>: even the base of each
/// panel solve is a Gemm, with the inverse of a diagonal block of L of order at most 128 (the TRSM-by-inverse
/// variant). The result is bitwise independent of the thread count.</para>
/// <para><b>Failure.</b> A pivot A[k,k] − Σⱼ L[k,j]² that is zero, negative, infinite or NaN stops the factorization at
/// k: <see cref="Factor{T}"/> throws <see cref="MatrixNotPositiveDefiniteException"/> naming k and the value,
/// <see cref="TryFactor{T}"/> returns false with k. The leading k × k block then holds the factor of A's leading block;
/// the rest of the lower triangle is partly updated. NaN or infinity anywhere in the lower triangle reaches a pivot,
/// so non-finite input always fails this way.</para>
/// <para><b>Accuracy.</b> The computed factor satisfies L·Lᵀ = A + ΔA with |ΔA| ≤ c·n·ε·|L|·|Lᵀ| elementwise, whatever
/// the condition number (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, Thm. 10.3); the factorization
/// succeeds whenever c·n·ε·κ(A) is below one. Applying the inverted diagonal blocks L_kk⁻¹ in the panel solves
/// weakens the constant by at most a factor of the order of κ(L_kk) ≤ √κ(A_kk) (Du Croz and Higham 1992; Higham
/// §13.2 for block LU with inverted blocks); the tests check the elementwise bound above up to κ = 10¹² in double.</para>
/// </remarks>
public static class Cholesky
{
    /// <summary>Diagonal blocks up to this order are factored directly; larger ones are split.</summary>
    internal const int BaseOrder = 64;

    private static int ScratchLength => Math.Max(BlockedTriangularSolve.ScratchLength, SymmetricRankUpdate.ScratchLength);

    /// <summary>Factors A = L·Lᵀ in place: the lower triangle of <paramref name="a"/> becomes L.</summary>
    /// <param name="a">The symmetric positive definite matrix, of which only the lower triangle is read.</param>
    /// <param name="options">Threads for the Gemm updates; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square.</exception>
    /// <exception cref="MatrixNotPositiveDefiniteException">A pivot is not positive and finite; the message gives its index and value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static void Factor<T>(MatrixView<T> a, BlasOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (pivot, value) = Run(a, options);
        if (pivot >= 0)
        {
            throw new MatrixNotPositiveDefiniteException(pivot, double.CreateChecked(value), nameof(a));
        }
    }

    /// <summary>
    /// Factors A = L·Lᵀ in place like <see cref="Factor{T}"/>, but reports a failed pivot instead of throwing: for
    /// callers that expect matrices on the edge of definiteness, such as a preconditioner that retries with a shift.
    /// </summary>
    /// <param name="a">The symmetric positive definite matrix, of which only the lower triangle is read.</param>
    /// <param name="failedPivot">−1 on success; otherwise the index of the first pivot that was not positive and finite.</param>
    /// <param name="options">Threads for the Gemm updates; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <returns>True when the factorization completed.</returns>
    /// <exception cref="ArgumentException"><paramref name="a"/> is not square.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static bool TryFactor<T>(MatrixView<T> a, out int failedPivot, BlasOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (failedPivot, _) = Run(a, options);
        return failedPivot < 0;
    }

    /// <summary>Solves A·x = b in place with the factor from <see cref="Factor{T}"/>: L·y = b, then Lᵀ·x = y.</summary>
    /// <param name="factor">The n × n matrix whose lower triangle holds L (the upper triangle is not read).</param>
    /// <param name="x">b on entry, x on return; n elements.</param>
    /// <exception cref="ArgumentException">The factor is not square, x has the wrong length, or x shares memory with the factor.</exception>
    public static void Solve<T>(ReadOnlyMatrixView<T> factor, Span<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TriangularSolve.Solve(Triangle.Lower, Transpose.None, Diagonal.NonUnit, factor, x);
        TriangularSolve.Solve(Triangle.Lower, Transpose.Transposed, Diagonal.NonUnit, factor, x);
    }

    /// <summary>Solves A·X = B in place for many right-hand sides (the columns of B) with the factor from <see cref="Factor{T}"/>.</summary>
    /// <param name="factor">The n × n matrix whose lower triangle holds L (the upper triangle is not read).</param>
    /// <param name="b">B on entry (n rows), X on return.</param>
    /// <param name="options">Threads for the Gemm updates; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">The factor is not square, B does not have n rows, or B shares an element with the factor.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static void Solve<T>(ReadOnlyMatrixView<T> factor, MatrixView<T> b, BlasOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TriangularSolve.Solve(Side.Left, Triangle.Lower, Transpose.None, Diagonal.NonUnit, factor, b, options);
        TriangularSolve.Solve(Side.Left, Triangle.Lower, Transpose.Transposed, Diagonal.NonUnit, factor, b, options);
    }

    /// <summary>Validates, rents scratch and factors; returns (−1, 0) on success or the failed pivot and its value.</summary>
    private static (int Pivot, T Value) Run<T>(MatrixView<T> a, BlasOptions? options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireSquare<T>(a, nameof(a));
        options ??= BlasOptions.Default;
        options.Validate();
        T[] scratch = ArrayPool<T>.Shared.Rent(ScratchLength);
        try
        {
            return FactorBlocked(a, 0, scratch, options);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    private static (int Pivot, T Value) FactorBlocked<T>(MatrixView<T> a, int offset, Span<T> scratch, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows;
        if (n <= BaseOrder)
        {
            return FactorDirect(a, offset);
        }
        int n1 = BlockedTriangularSolve.Split(n), n2 = n - n1;
        MatrixView<T> a11 = a.Slice(0, 0, n1, n1), a21 = a.Slice(n1, 0, n2, n1), a22 = a.Slice(n1, n1, n2, n2);
        var failure = FactorBlocked(a11, offset, scratch, options);
        if (failure.Pivot >= 0)
        {
            return failure;
        }
        BlockedTriangularSolve.Solve(Side.Right, Triangle.Lower, Transpose.Transposed, Diagonal.NonUnit, a11, a21, scratch, options);
        SymmetricRankUpdate.Run(-T.One, a21, T.One, a22, scratch, options);
        return FactorBlocked(a22, offset + n1, scratch, options);
    }

    /// <summary>
    /// Cholesky–Banachiewicz, row by row: L[i, j] = (A[i, j] − L[i, :j]·L[j, :j]) / L[j, j] and
    /// L[i, i] = √(A[i, i] − L[i, :i]·L[i, :i]), every sum a dot product of contiguous row prefixes.
    /// </summary>
    private static (int Pivot, T Value) FactorDirect<T>(MatrixView<T> a, int offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < a.Rows; i++)
        {
            Span<T> row = a.Row(i);
            for (int j = 0; j < i; j++)
            {
                ReadOnlySpan<T> pivotRow = a.Row(j);
                row[j] = (row[j] - Level1.Dot<T>(row[..j], pivotRow[..j])) / pivotRow[j];
            }
            T pivot = row[i] - Level1.Dot<T>(row[..i], row[..i]);
            if (!(T.IsFinite(pivot) && pivot > T.Zero))
            {
                return (offset + i, pivot);
            }
            row[i] = T.Sqrt(pivot);
        }
        return (-1, T.Zero);
    }
}
