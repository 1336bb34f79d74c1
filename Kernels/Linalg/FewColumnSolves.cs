using System.Numerics;
using Kernels.Blas;

namespace Kernels.Linalg;

/// <summary>
/// The products and Cholesky solves of <see cref="MixedPrecisionCholesky"/>'s refinement, for a few (c) columns held
/// transposed, as the rows of a c × n block. Each reads the n × n matrix row by row exactly once and spends c dot
/// products or axpys on the row while it is in cache, so the cost is one pass over the matrix — what a product only c
/// columns wide is bound by — where <see cref="Level3.Gemm{T}"/> and the blocked <see cref="TriangularSolve"/> copy the
/// whole matrix into packed panels first (measured at n = 5,000, c = 10: several times slower).
/// </summary>
/// <remarks>
/// Threads split the rows of A in the product and the columns in the solves; every output element is computed by the
/// same operations in the same order on any thread, so the results are bitwise independent of the thread count.
/// </remarks>
internal static unsafe class FewColumnSolves
{
    /// <summary>Rᵀ ← Bᵀ − Xᵀ·Aᵀ for symmetric n × n A (row i of A dotted with each row of Xᵀ), all c × n.</summary>
    public static void Residual<T>(ReadOnlyMatrixView<T> a, ReadOnlyMatrixView<T> bt, ReadOnlyMatrixView<T> xt, MatrixView<T> rt, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows, c = xt.Rows;
        int threads = options.ThreadsFor((long)n * n * c, n);
        fixed (T* pa = a.Data)
        fixed (T* pb = bt.Data)
        fixed (T* px = xt.Data)
        fixed (T* pr = rt.Data)
        {
            var work = new ResidualParts<T>((nint)pa, a.Stride, (nint)pb, bt.Stride, (nint)px, xt.Stride, (nint)pr, rt.Stride, n, c, threads);
            ParallelParts.Run(work, threads);
        }
    }

    /// <summary>Solves L·Lᵀ·D = R in place for each row of <paramref name="dt"/> (Dᵀ, c × n), with L the lower triangle of <paramref name="factor"/>.</summary>
    public static void Run<T>(ReadOnlyMatrixView<T> factor, MatrixView<T> dt, BlasOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = factor.Rows, c = dt.Rows;
        int threads = options.ThreadsFor((long)n * n * c, c);
        fixed (T* pl = factor.Data)
        fixed (T* pd = dt.Data)
        {
            ParallelParts.Run(new SolveParts<T>((nint)pl, factor.Stride, (nint)pd, dt.Stride, n, c, threads), threads);
        }
    }

    private readonly struct ResidualParts<T>(nint a, int lda, nint bt, int ldb, nint xt, int ldx, nint rt, int ldr, int n, int c, int threads) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            int start = (int)((long)part * n / threads), end = (int)((long)(part + 1) * n / threads);
            for (int i = start; i < end; i++)
            {
                var row = new ReadOnlySpan<T>((T*)a + (long)i * lda, n);
                for (int j = 0; j < c; j++)
                {
                    T dot = Level1.Dot(row, new ReadOnlySpan<T>((T*)xt + (long)j * ldx, n));
                    ((T*)rt)[(long)j * ldr + i] = ((T*)bt)[(long)j * ldb + i] - dot;
                }
            }
        }
    }

    /// <summary>
    /// Forward substitution by rows (y_i = (r_i − L[i, :i]·y[:i]) / L[i, i]: a dot product of a row prefix), then back
    /// substitution with Lᵀ by rows too (x_i = y_i / L[i, i], then y[:i] −= x_i·L[i, :i]: an axpy), so L is read by
    /// contiguous rows in both; each part takes a contiguous range of the c columns.
    /// </summary>
    private readonly struct SolveParts<T>(nint l, int ldl, nint dt, int ldd, int n, int c, int threads) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            int first = (int)((long)part * c / threads), last = (int)((long)(part + 1) * c / threads);
            T* factor = (T*)l;
            for (int i = 0; i < n; i++)
            {
                var row = new ReadOnlySpan<T>(factor + (long)i * ldl, i);
                T pivot = factor[(long)i * ldl + i];
                for (int j = first; j < last; j++)
                {
                    T* y = (T*)dt + (long)j * ldd;
                    y[i] = (y[i] - Level1.Dot(row, new ReadOnlySpan<T>(y, i))) / pivot;
                }
            }
            for (int i = n - 1; i >= 0; i--)
            {
                var row = new ReadOnlySpan<T>(factor + (long)i * ldl, i);
                T pivot = factor[(long)i * ldl + i];
                for (int j = first; j < last; j++)
                {
                    T* y = (T*)dt + (long)j * ldd;
                    y[i] /= pivot;
                    Level1.Axpy(-y[i], row, new Span<T>(y, i));
                }
            }
        }
    }
}
