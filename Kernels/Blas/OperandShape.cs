namespace Kernels.Blas;

/// <summary>The shape of op(A), the operand a BLAS routine multiplies after applying <see cref="Transpose"/>.</summary>
internal static class OperandShape
{
    /// <summary>Rows and columns of op(A) for a stored <paramref name="rows"/> × <paramref name="columns"/> matrix.</summary>
    public static (int Rows, int Columns) Op(int rows, int columns, Transpose transpose) =>
        transpose == Transpose.None ? (rows, columns) : (columns, rows);
}
