namespace Kernels.Linalg;

/// <summary>
/// Thrown by <see cref="Cholesky.Factor{T}"/> (and the solvers built on it) when a matrix is not symmetric positive
/// definite to working precision: a pivot of the factorization, the Schur-complement diagonal entry
/// <c>A[k, k] − Σⱼ L[k, j]²</c>, is zero, negative or not finite.
/// </summary>
/// <remarks>
/// The pivot index says how far the factorization got: the leading <see cref="PivotIndex"/> × <see cref="PivotIndex"/>
/// block of A is positive definite and its factor is in place. Adding a multiple of the identity ("jitter") or
/// using <see cref="Cholesky.TryFactor{T}"/> lets a caller recover.
/// </remarks>
public sealed class MatrixNotPositiveDefiniteException : ArgumentException
{
    /// <summary>Creates the exception for a failed pivot of the named matrix argument.</summary>
    /// <param name="pivotIndex">The zero-based row (and column) of the failed pivot.</param>
    /// <param name="pivotValue">The pivot's value before the square root would have been taken.</param>
    /// <param name="paramName">The argument that held the matrix.</param>
    public MatrixNotPositiveDefiniteException(int pivotIndex, double pivotValue, string? paramName)
        : base($"The matrix is not positive definite: pivot {pivotIndex} is {pivotValue:G6} (a Cholesky pivot must be positive and finite). " +
               $"Its leading {pivotIndex}×{pivotIndex} block is positive definite.", paramName)
    {
        PivotIndex = pivotIndex;
        PivotValue = pivotValue;
    }

    /// <summary>The zero-based index of the first pivot that was not positive and finite.</summary>
    public int PivotIndex { get; }

    /// <summary>That pivot's value: zero, negative, infinite or NaN.</summary>
    public double PivotValue { get; }
}
