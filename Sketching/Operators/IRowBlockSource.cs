using Kernels.Blas;

namespace Kernels.Sketching.Operators;

/// <summary>
/// An implicit <see cref="Rows"/> × <see cref="Columns"/> matrix that can write any block of consecutive rows on request,
/// so that a sketch S·A can be formed without A ever existing whole: for the Gauss–Newton step, A = Jᵀ (md × n), and a
/// block of its rows is the Jacobian restricted to a few neurons.
/// </summary>
/// <remarks>
/// Operators ask for blocks in ascending order and each row once. The values written must depend only on the row
/// indices, not on how the rows are grouped into blocks, for results to be reproducible.
/// </remarks>
/// <typeparam name="T">Element type.</typeparam>
public interface IRowBlockSource<T>
{
    /// <summary>N: the number of rows, the dimension that is sketched.</summary>
    int Rows { get; }

    /// <summary>d: the number of columns.</summary>
    int Columns { get; }

    /// <summary>Writes rows <paramref name="firstRow"/> … <paramref name="firstRow"/> + destination.Rows − 1 into <paramref name="destination"/> (destination.Rows × <see cref="Columns"/>).</summary>
    void WriteRows(int firstRow, MatrixView<T> destination);
}
