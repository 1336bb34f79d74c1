namespace Kernels.Linalg;

/// <summary>Whether a triangular matrix's diagonal is read or taken as ones, as BLAS's <c>diag</c> argument.</summary>
public enum Diagonal
{
    /// <summary>The diagonal is read from the matrix.</summary>
    NonUnit,

    /// <summary>Every diagonal entry is taken to be one and is never read (it may hold something else, such as R in a QR factor).</summary>
    Unit,
}
