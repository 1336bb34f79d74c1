namespace Kernels.Blas;

/// <summary>Whether a matrix operand is used as stored or transposed, as BLAS's <c>trans</c> argument.</summary>
public enum Transpose
{
    /// <summary>Use the matrix as stored: op(A) = A.</summary>
    None,

    /// <summary>Use the transpose: op(A) = Aᵀ.</summary>
    Transposed,
}
