namespace Kernels.Linalg;

/// <summary>Which triangle of a square matrix holds a triangular operand, as BLAS's <c>uplo</c> argument.</summary>
/// <remarks>Kernels read only the named triangle (diagonal included); the other triangle may hold anything.</remarks>
public enum Triangle
{
    /// <summary>The operand is the lower triangle: entries (i, j) with j ≤ i.</summary>
    Lower,

    /// <summary>The operand is the upper triangle: entries (i, j) with j ≥ i.</summary>
    Upper,
}
