namespace Kernels.Linalg;

/// <summary>Which side of the unknown a triangular matrix multiplies, as BLAS's <c>side</c> argument.</summary>
public enum Side
{
    /// <summary>Solve op(T)·X = B: each column of B is one right-hand side.</summary>
    Left,

    /// <summary>Solve X·op(T) = B: each row of B is one right-hand side.</summary>
    Right,
}
