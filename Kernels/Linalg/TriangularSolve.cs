using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Linalg;

/// <summary>
/// Triangular solves on row-major matrices, as BLAS's <c>trsv</c> and <c>trsm</c>: x ← op(T)⁻¹·x for one right-hand
/// side, and B ← op(T)⁻¹·B or B ← B·op(T)⁻¹ for many.
/// </summary>
/// <remarks>
/// <para>Only the named triangle of T is read (and not its diagonal when it is <see cref="Diagonal.Unit"/>), so T may
/// share its storage with other data, such as the unused triangle of a Cholesky factor or the reflectors of a QR
/// factor.</para>
/// <para>Substitution is componentwise backward stable: the computed x solves (T + ΔT)·x = b with
/// |ΔT| ≤ c·n·ε·|T|. A zero on a non-unit diagonal is not checked: it yields infinities or NaN under IEEE rules, as in
/// BLAS. Callers whose triangles may be singular check the diagonal first (the least-squares solve of
/// <see cref="HouseholderQr{T}"/> does).</para>
/// <para>The many-right-hand-side solve is recursive and spends nearly all its work in <see cref="Level3.Gemm{T}"/>;
/// its result is bitwise independent of the thread count.</para>
/// </remarks>
public static class TriangularSolve
{
    /// <summary>Solves op(T)·x = b in place: <paramref name="x"/> holds b on entry and the solution on return.</summary>
    /// <param name="triangle">The triangle of <paramref name="t"/> that holds the matrix.</param>
    /// <param name="transpose">Whether to solve with T or Tᵀ.</param>
    /// <param name="diagonal">Whether T's diagonal is read or taken as ones.</param>
    /// <param name="t">The square triangular matrix.</param>
    /// <param name="x">The right-hand side, overwritten with the solution; as many elements as T has rows.</param>
    /// <exception cref="ArgumentException">T is not square, x has the wrong length, or x shares memory with T.</exception>
    public static void Solve<T>(Triangle triangle, Transpose transpose, Diagonal diagonal, ReadOnlyMatrixView<T> t, Span<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        RequireDefined(triangle, transpose, diagonal);
        Guard.RequireSquare<T>(t, nameof(t));
        Guard.RequireMatrixDimension(x.Length, t.Rows, nameof(x), "row", "T", t.Rows, t.Columns);
        Guard.RequireDisjoint(t.Data[..(int)Guard.RequiredLength(t.Rows, t.Columns, t.Stride)], nameof(t), x, nameof(x));

        int n = t.Rows;
        bool opIsLower = (triangle == Triangle.Lower) == (transpose == Transpose.None);
        bool unit = diagonal == Diagonal.Unit;
        if (transpose == Transpose.None)
        {
            // x_i = (b_i − T[i, solved]·x[solved]) / T_ii: a dot product along row i of T.
            for (int step = 0; step < n; step++)
            {
                int i = opIsLower ? step : n - 1 - step;
                ReadOnlySpan<T> row = t.Row(i);
                T sum = opIsLower ? Level1.Dot(row[..i], x[..i]) : Level1.Dot(row[(i + 1)..], x[(i + 1)..]);
                x[i] -= sum;
                if (!unit)
                {
                    x[i] /= row[i];
                }
            }
        }
        else
        {
            // op(T) = Tᵀ: column p of op(T) is row p of T, so once x_p is known it is eliminated from the rest with one axpy.
            for (int step = 0; step < n; step++)
            {
                int p = opIsLower ? step : n - 1 - step;
                ReadOnlySpan<T> row = t.Row(p);
                if (!unit)
                {
                    x[p] /= row[p];
                }
                if (opIsLower)
                {
                    Level1.AxpyAnyAlpha(-x[p], row[(p + 1)..], x[(p + 1)..]);
                }
                else
                {
                    Level1.AxpyAnyAlpha(-x[p], row[..p], x[..p]);
                }
            }
        }
    }

    /// <summary>
    /// Solves op(T)·X = B (<see cref="Side.Left"/>) or X·op(T) = B (<see cref="Side.Right"/>) in place: <paramref name="b"/>
    /// holds B on entry and X on return.
    /// </summary>
    /// <param name="side">Whether T multiplies X from the left or from the right.</param>
    /// <param name="triangle">The triangle of <paramref name="t"/> that holds the matrix.</param>
    /// <param name="transpose">Whether to solve with T or Tᵀ.</param>
    /// <param name="diagonal">Whether T's diagonal is read or taken as ones.</param>
    /// <param name="t">The square triangular matrix.</param>
    /// <param name="b">The right-hand sides, overwritten with the solution: T.Rows rows for <see cref="Side.Left"/>, T.Rows columns for <see cref="Side.Right"/>.</param>
    /// <param name="options">Threads for the Gemm updates; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">T is not square, B's shape does not match it, or B shares an element with T.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static void Solve<T>(Side side, Triangle triangle, Transpose transpose, Diagonal diagonal, ReadOnlyMatrixView<T> t,
        MatrixView<T> b, BlasOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireDefined(side, nameof(side));
        RequireDefined(triangle, transpose, diagonal);
        Guard.RequireSquare<T>(t, nameof(t));
        if (side == Side.Left && b.Rows != t.Rows)
        {
            throw new ArgumentException($"B is {b.Rows}×{b.Columns}; expected {t.Rows} rows to match the {t.Rows}×{t.Columns} T on the left.", nameof(b));
        }
        if (side == Side.Right && b.Columns != t.Rows)
        {
            throw new ArgumentException($"B is {b.Rows}×{b.Columns}; expected {t.Rows} columns to match the {t.Rows}×{t.Columns} T on the right.", nameof(b));
        }
        Guard.RequireDisjoint<T>(t, nameof(t), b, nameof(b));
        options ??= BlasOptions.Default;
        options.Validate();

        T[] scratch = ArrayPool<T>.Shared.Rent(BlockedTriangularSolve.ScratchLength);
        try
        {
            BlockedTriangularSolve.Solve(side, triangle, transpose, diagonal, t, b, scratch, options);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    private static void RequireDefined(Triangle triangle, Transpose transpose, Diagonal diagonal)
    {
        Guard.RequireDefined(triangle, nameof(triangle));
        Guard.RequireDefined(transpose, nameof(transpose));
        Guard.RequireDefined(diagonal, nameof(diagonal));
    }
}
