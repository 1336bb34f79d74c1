using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>
/// The argument checks every operator, map and preconditioner makes: vectors or blocks of the right shape that do not
/// overlap, and finite scalars.
/// </summary>
internal static class OperatorGuard
{
    public static void RequireVectors<T>(int dimension, ReadOnlySpan<T> input, string inputName, ReadOnlySpan<T> output, string outputName)
    {
        Guard.RequireLength(input.Length, dimension, inputName, "the operator's dimension");
        Guard.RequireLength(output.Length, dimension, outputName, "the operator's dimension");
        Guard.RequireDisjoint(input, inputName, output, outputName);
    }

    /// <summary>The checks of y ← α·op(A)·x + β·y for an m × n map A (op(A) is Aᵀ when <paramref name="transpose"/> says so).</summary>
    public static void RequireProduct<T>(int rows, int columns, Transpose transpose, T alpha, ReadOnlySpan<T> x, T beta, ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (outer, inner) = OperandShape.Op(rows, columns, transpose);
        string matrix = transpose == Transpose.None ? "A" : "Aᵀ";
        Guard.RequireMatrixDimension(x.Length, inner, nameof(x), "column", matrix, outer, inner);
        Guard.RequireMatrixDimension(y.Length, outer, nameof(y), "row", matrix, outer, inner);
        Guard.RequireDisjoint(x, nameof(x), y, nameof(y));
        Guard.RequireFinite(alpha, nameof(alpha));
        Guard.RequireFinite(beta, nameof(beta));
    }

    /// <summary>The checks of Y ← α·op(A)·X + β·Y for an m × n map A.</summary>
    public static void RequireProduct<T>(int rows, int columns, Transpose transpose, T alpha, ReadOnlyMatrixView<T> x, T beta, ReadOnlyMatrixView<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (outer, inner) = OperandShape.Op(rows, columns, transpose);
        string matrix = transpose == Transpose.None ? "A" : "Aᵀ";
        if (x.Rows != inner)
        {
            throw new ArgumentException($"x is {x.Rows}×{x.Columns}; expected {inner} rows to match the {outer}×{inner} {matrix}.", nameof(x));
        }
        if (y.Rows != outer || y.Columns != x.Columns)
        {
            throw new ArgumentException($"y is {y.Rows}×{y.Columns}; expected {outer}×{x.Columns} ({matrix}·X).", nameof(y));
        }
        Guard.RequireDisjoint<T>(x, nameof(x), y, nameof(y));
        Guard.RequireFinite(alpha, nameof(alpha));
        Guard.RequireFinite(beta, nameof(beta));
    }
}
