using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Linalg;

/// <summary>
/// The triangular solve with many right-hand sides behind <see cref="TriangularSolve"/>, after the recursive
/// formulation of Elmroth, Gustavson, Jonsson and Kågström ("Recursive blocked algorithms and hybrid data
/// structures", SIAM Review 2004): the triangle is halved, the two diagonal halves are solved recursively and the
/// coupling block is one Gemm. Nearly all the work is therefore Gemm; only diagonal blocks of at most
/// <see cref="BaseOrder"/> (triangle on the left) or <see cref="InverseOrder"/> (on the right) are not.
/// </summary>
/// <remarks>
/// <para>With the triangle on the left, the base is a substitution on rows of B, which are contiguous: row j of X is
/// row j of B minus a combination of earlier rows, one <see cref="Level2.Gemv{T}"/> of the solved rows. With the
/// triangle on the right, the rows of B are the right-hand sides and a substitution would step through B's columns,
/// so the base block is inverted instead (<see cref="TriangularInverse"/>) and applied to all rows by one Gemm.</para>
/// <para>Every step runs in a fixed order and the Gemm calls are bitwise independent of the thread count, so the
/// result is too.</para>
/// </remarks>
internal static class BlockedTriangularSolve
{
    /// <summary>Diagonal blocks up to this order are solved by substitution; larger ones are split.</summary>
    public const int BaseOrder = 64;

    /// <summary>With the triangle on the right, diagonal blocks up to this order are inverted and applied by one Gemm.</summary>
    public const int InverseOrder = 128;

    /// <summary>Elements of scratch that <see cref="Solve{T}"/> needs: one column of the triangle.</summary>
    public const int ScratchLength = BaseOrder;

    /// <summary>
    /// Solves in place: B ← op(T)⁻¹·B (<see cref="Side.Left"/>) or B ← B·op(T)⁻¹ (<see cref="Side.Right"/>).
    /// The caller has validated the shapes and passes <see cref="ScratchLength"/> elements of scratch.
    /// </summary>
    public static void Solve<T>(Side side, Triangle triangle, Transpose transpose, Diagonal diagonal,
        ReadOnlyMatrixView<T> t, MatrixView<T> b, Span<T> scratch, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = t.Rows;
        if (k == 0 || b.Rows == 0 || b.Columns == 0)
        {
            return;
        }
        if (k <= (side == Side.Left ? BaseOrder : InverseOrder))
        {
            if (side == Side.Left)
            {
                SubstituteLeft(triangle, transpose, diagonal, t, b, scratch);
            }
            else
            {
                MultiplyByInverseRight(triangle, transpose, diagonal, t, b, options);
            }
            return;
        }

        int k1 = Split(k), k2 = k - k1;
        ReadOnlyMatrixView<T> t11 = t.Slice(0, 0, k1, k1), t22 = t.Slice(k1, k1, k2, k2);
        // The coupling block of op(T) lies in T's stored triangle: below the diagonal for Lower, above for Upper,
        // and it is used with T's own transpose flag.
        ReadOnlyMatrixView<T> coupling = triangle == Triangle.Lower ? t.Slice(k1, 0, k2, k1) : t.Slice(0, k1, k1, k2);
        bool opIsLower = (triangle == Triangle.Lower) == (transpose == Transpose.None);
        T minusOne = -T.One;

        if (side == Side.Left)
        {
            MatrixView<T> b1 = b.Slice(0, 0, k1, b.Columns), b2 = b.Slice(k1, 0, k2, b.Columns);
            if (opIsLower)
            {
                Solve(side, triangle, transpose, diagonal, t11, b1, scratch, options);
                Level3.Gemm(transpose, Transpose.None, minusOne, coupling, b1, T.One, b2, options);
                Solve(side, triangle, transpose, diagonal, t22, b2, scratch, options);
            }
            else
            {
                Solve(side, triangle, transpose, diagonal, t22, b2, scratch, options);
                Level3.Gemm(transpose, Transpose.None, minusOne, coupling, b2, T.One, b1, options);
                Solve(side, triangle, transpose, diagonal, t11, b1, scratch, options);
            }
        }
        else
        {
            MatrixView<T> b1 = b.Slice(0, 0, b.Rows, k1), b2 = b.Slice(0, k1, b.Rows, k2);
            if (opIsLower)
            {
                // X·op(T) = B with op(T) lower: the last columns of X depend only on the last block.
                Solve(side, triangle, transpose, diagonal, t22, b2, scratch, options);
                Level3.Gemm(Transpose.None, transpose, minusOne, b2, coupling, T.One, b1, options);
                Solve(side, triangle, transpose, diagonal, t11, b1, scratch, options);
            }
            else
            {
                Solve(side, triangle, transpose, diagonal, t11, b1, scratch, options);
                Level3.Gemm(Transpose.None, transpose, minusOne, b1, coupling, T.One, b2, options);
                Solve(side, triangle, transpose, diagonal, t22, b2, scratch, options);
            }
        }
    }

    /// <summary>Splits an order above <see cref="BaseOrder"/> near its middle, at a multiple of 16 so that most Gemm tiles are whole.</summary>
    public static int Split(int order) => Math.Max(16, (order / 2 + 8) / 16 * 16);

    /// <summary>
    /// op(T)·X = B for an order up to <see cref="BaseOrder"/>, row by row: row j of X is (row j of B − Σ op(T)[j, p]·row p
    /// of X over the already solved p) / op(T)[j, j], the sum being one Gemv over the solved rows.
    /// </summary>
    private static void SubstituteLeft<T>(Triangle triangle, Transpose transpose, Diagonal diagonal,
        ReadOnlyMatrixView<T> t, MatrixView<T> b, Span<T> scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = t.Rows, n = b.Columns;
        bool opIsLower = (triangle == Triangle.Lower) == (transpose == Transpose.None);
        Span<T> column = scratch[..k];
        for (int step = 0; step < k; step++)
        {
            int j = opIsLower ? step : k - 1 - step;
            // The solved rows are [0, j) going forward and (j, k) going backward.
            int first = opIsLower ? 0 : j + 1;
            int count = opIsLower ? j : k - 1 - j;
            if (count > 0)
            {
                ReadOnlySpan<T> coefficients;
                if (transpose == Transpose.None)
                {
                    coefficients = t.Row(j).Slice(first, count);
                }
                else
                {
                    // op(T)[j, p] = T[p, j]: a column of T, gathered once.
                    for (int p = 0; p < count; p++)
                    {
                        column[p] = t[first + p, j];
                    }
                    coefficients = column[..count];
                }
                Level2.Gemv(Transpose.Transposed, -T.One, b.Slice(first, 0, count, n), coefficients, T.One, b.Row(j), BlasOptions.SingleThreaded);
            }
            if (diagonal == Diagonal.NonUnit)
            {
                Span<T> row = b.Row(j);
                UnaryDriver.Run(row, row, new DivideOperator<T>(t[j, j]));
            }
        }
    }

    /// <summary>
    /// X·op(T) = B for an order up to <see cref="InverseOrder"/>, as one Gemm: X = B·op(T⁻¹), with T⁻¹ built by
    /// <see cref="TriangularInverse"/> and B copied to pooled scratch (Gemm's output may not overlap its inputs).
    /// </summary>
    /// <remarks>
    /// In a large Cholesky factorization this is the base of every panel solve; a substitution there runs one
    /// Gemv per row of the triangle, at a fraction of Gemm's rate, while this spends the k³/6 multiply-adds of the
    /// inverse once and then m·k² in Gemm (twice the substitution's count, half of them on the zero triangle, but
    /// threaded and at Gemm's rate). The accuracy cost is a factor of at most κ(T) in the residual bound (see
    /// <see cref="TriangularInverse"/>); Gemm's result is bitwise independent of the thread count, so this is too.
    /// </remarks>
    private static void MultiplyByInverseRight<T>(Triangle triangle, Transpose transpose, Diagonal diagonal,
        ReadOnlyMatrixView<T> t, MatrixView<T> b, BlasOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = t.Rows, m = b.Rows;
        T[] work = ArrayPool<T>.Shared.Rent(k * k + m * k);
        try
        {
            var inverse = new MatrixView<T>(work.AsSpan(0, k * k), k, k);
            TriangularInverse.Invert(triangle, diagonal, t, inverse);
            var copy = new MatrixView<T>(work.AsSpan(k * k, m * k), m, k);
            for (int i = 0; i < m; i++)
            {
                b.Row(i).CopyTo(copy.Row(i));
            }
            Level3.Gemm(Transpose.None, transpose, T.One, copy, inverse, T.Zero, b, options);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(work);
        }
    }
}
