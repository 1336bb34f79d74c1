using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Linalg;

/// <summary>
/// The symmetric rank-k update of BLAS's <c>syrk</c>, lower triangle only: C ← alpha·A·Aᵀ + beta·C on the entries
/// (i, j) with j ≤ i. Because A·Aᵀ is symmetric, computing the lower triangle halves the work of a Gemm, and this
/// is the trailing update of <see cref="Cholesky"/>.
/// </summary>
/// <remarks>
/// <para>The triangle is halved recursively: the off-diagonal block is one <see cref="Level3.Gemm{T}"/>
/// (C₂₁ ← alpha·A₂·A₁ᵀ + beta·C₂₁) and the two diagonal halves recurse. Diagonal blocks of at most
/// <see cref="BaseOrder"/> are computed whole by Gemm into scratch, and only their lower triangle is stored, so the
/// strictly upper triangle of C is never read or written and at most <see cref="BaseOrder"/>/n of the work is spent
/// above the diagonal.</para>
/// <para>When <c>beta</c> is zero the lower triangle of C is overwritten without being read, as in Gemm. Each element is
/// accumulated over k by Gemm in a fixed order, so results are bitwise independent of the thread count.</para>
/// </remarks>
public static class SymmetricRankUpdate
{
    /// <summary>Diagonal blocks up to this order are computed whole into scratch.</summary>
    internal const int BaseOrder = 64;

    /// <summary>Elements of scratch that <see cref="Run{T}"/> needs: one diagonal block.</summary>
    internal const int ScratchLength = BaseOrder * BaseOrder;

    /// <summary>Computes the lower triangle of C ← alpha·A·Aᵀ + beta·C, where A is n × k and C is n × n.</summary>
    /// <exception cref="ArgumentException">C is not square, its order differs from A's row count, or C shares an element with A.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> or <paramref name="beta"/> is not finite, or an option is out of range.</exception>
    public static void Lower<T>(T alpha, ReadOnlyMatrixView<T> a, T beta, MatrixView<T> c, BlasOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireFinite(alpha, nameof(alpha));
        Guard.RequireFinite(beta, nameof(beta));
        if (c.Rows != c.Columns || c.Rows != a.Rows)
        {
            throw new ArgumentException($"C is {c.Rows}×{c.Columns}; expected {a.Rows}×{a.Rows} to match the {a.Rows}×{a.Columns} A.", nameof(c));
        }
        Guard.RequireDisjoint<T>(a, nameof(a), c, nameof(c));
        options ??= BlasOptions.Default;
        options.Validate();

        T[] scratch = ArrayPool<T>.Shared.Rent(ScratchLength);
        try
        {
            Run(alpha, a, beta, c, scratch, options);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>The recursion, on validated arguments.</summary>
    internal static void Run<T>(T alpha, ReadOnlyMatrixView<T> a, T beta, MatrixView<T> c, Span<T> scratch, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Rows;
        if (n == 0)
        {
            return;
        }
        if (n <= BaseOrder)
        {
            var block = new MatrixView<T>(scratch[..(n * n)], n, n);
            Level3.Gemm(Transpose.None, Transpose.Transposed, alpha, a, a, T.Zero, block, options);
            for (int i = 0; i < n; i++)
            {
                Span<T> target = c.Row(i)[..(i + 1)];
                ReadOnlySpan<T> update = block.Row(i)[..(i + 1)];
                if (beta == T.Zero)
                {
                    update.CopyTo(target);
                }
                else
                {
                    if (beta != T.One)
                    {
                        Level1.Scale(beta, target);
                    }
                    Level1.Axpy(T.One, update, target);
                }
            }
            return;
        }

        int n1 = BlockedTriangularSolve.Split(n), n2 = n - n1;
        ReadOnlyMatrixView<T> a1 = a.Slice(0, 0, n1, a.Columns), a2 = a.Slice(n1, 0, n2, a.Columns);
        Run(alpha, a1, beta, c.Slice(0, 0, n1, n1), scratch, options);
        Level3.Gemm(Transpose.None, Transpose.Transposed, alpha, a2, a1, beta, c.Slice(n1, 0, n2, n1), options);
        Run(alpha, a2, beta, c.Slice(n1, n1, n2, n2), scratch, options);
    }
}
