using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Linalg;

/// <summary>
/// Blocks of Householder reflectors in compact-WY form (Schreiber and Van Loan 1989): H₀·H₁⋯H_{w−1} = I − V·T·Vᵀ with
/// T upper triangular, so applying w reflectors at once costs three Gemm calls instead of 2w rank-1 updates.
/// </summary>
/// <remarks>
/// <para>The reflectors are stored as the rows of a w × L matrix Y = Vᵀ (row i is reflector i, so each is contiguous
/// in a row-major matrix). Row i is implicitly 0 before column i and 1 at column i; what the storage holds at those
/// positions (the entries of R) is never read. Products with Y therefore split Y = [Y_a Y_b] into its leading w × w
/// block, copied into scratch as an explicit unit upper triangle, and the dense rest, used in place.</para>
/// <para>T is w × w with zeros stored below its diagonal. All scratch comes from the caller.</para>
/// </remarks>
internal static class CompactWY
{
    /// <summary>Copies the leading w × w block of Y into <paramref name="destination"/> as the unit upper triangle it stands for.</summary>
    public static MatrixView<T> UnitUpper<T>(ReadOnlyMatrixView<T> y, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = y.Rows;
        var block = new MatrixView<T>(destination[..(w * w)], w, w);
        for (int i = 0; i < w; i++)
        {
            Span<T> row = block.Row(i);
            row[..i].Clear();
            row[i] = T.One;
            y.Row(i).Slice(i + 1, w - i - 1).CopyTo(row[(i + 1)..]);
        }
        return block;
    }

    /// <summary>
    /// C ← C·(I − Yᵀ·op(T)·Y) = C − (C·Yᵀ)·op(T)·Y for C of r × L: applies the block from the right, which is how the
    /// rows of Aᵀ (the columns of A) are transformed during the factorization.
    /// </summary>
    public static void ApplyFromRight<T>(MatrixView<T> c, ReadOnlyMatrixView<T> y, ReadOnlyMatrixView<T> t, Transpose opT, Span<T> scratch, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int r = c.Rows, w = y.Rows, l = y.Columns;
        if (r == 0 || w == 0)
        {
            return;
        }
        MatrixView<T> ya = UnitUpper(y, scratch);
        var product = new MatrixView<T>(scratch.Slice(w * w, r * w), r, w);
        var weighted = new MatrixView<T>(scratch.Slice(w * w + r * w, r * w), r, w);
        ReadOnlyMatrixView<T> yb = y.Slice(0, w, w, l - w);
        MatrixView<T> c1 = c.Slice(0, 0, r, w), c2 = c.Slice(0, w, r, l - w);

        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, c1, ya, T.Zero, product, options);
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, c2, yb, T.One, product, options);
        Level3.Gemm(Transpose.None, opT, T.One, product, t, T.Zero, weighted, options);
        Level3.Gemm(Transpose.None, Transpose.None, -T.One, weighted, ya, T.One, c1, options);
        Level3.Gemm(Transpose.None, Transpose.None, -T.One, weighted, yb, T.One, c2, options);
    }

    /// <summary>Scratch that <see cref="ApplyFromRight{T}"/> needs for r rows and w reflectors.</summary>
    public static int ApplyFromRightScratch(int r, int w) => w * w + 2 * r * w;

    /// <summary>
    /// B ← (I − Yᵀ·op(T)·Y)·B = B − Yᵀ·op(T)·(Y·B) for B of L × k: applies the block from the left, as Q·B
    /// (op(T) = T) or Qᵀ·B (op(T) = Tᵀ) on right-hand sides.
    /// </summary>
    public static void ApplyFromLeft<T>(MatrixView<T> b, ReadOnlyMatrixView<T> y, ReadOnlyMatrixView<T> t, Transpose opT, Span<T> scratch, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = b.Columns, w = y.Rows, l = y.Columns;
        if (k == 0 || w == 0)
        {
            return;
        }
        MatrixView<T> ya = UnitUpper(y, scratch);
        var product = new MatrixView<T>(scratch.Slice(w * w, w * k), w, k);
        var weighted = new MatrixView<T>(scratch.Slice(w * w + w * k, w * k), w, k);
        ReadOnlyMatrixView<T> yb = y.Slice(0, w, w, l - w);
        MatrixView<T> b1 = b.Slice(0, 0, w, k), b2 = b.Slice(w, 0, l - w, k);

        Level3.Gemm(Transpose.None, Transpose.None, T.One, ya, b1, T.Zero, product, options);
        Level3.Gemm(Transpose.None, Transpose.None, T.One, yb, b2, T.One, product, options);
        Level3.Gemm(opT, Transpose.None, T.One, t, product, T.Zero, weighted, options);
        Level3.Gemm(Transpose.Transposed, Transpose.None, -T.One, ya, weighted, T.One, b1, options);
        Level3.Gemm(Transpose.Transposed, Transpose.None, -T.One, yb, weighted, T.One, b2, options);
    }

    /// <summary>Scratch that <see cref="ApplyFromLeft{T}(MatrixView{T}, ReadOnlyMatrixView{T}, ReadOnlyMatrixView{T}, Transpose, Span{T}, BlasOptions)"/> needs for w reflectors and k right-hand sides.</summary>
    public static int ApplyFromLeftScratch(int w, int k) => w * w + 2 * w * k;

    /// <summary>The one-vector case of <see cref="ApplyFromLeft{T}(MatrixView{T}, ReadOnlyMatrixView{T}, ReadOnlyMatrixView{T}, Transpose, Span{T}, BlasOptions)"/>: b ← b − Yᵀ·op(T)·(Y·b), with Gemv.</summary>
    public static void ApplyFromLeft<T>(Span<T> b, ReadOnlyMatrixView<T> y, ReadOnlyMatrixView<T> t, Transpose opT, Span<T> scratch, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = y.Rows, l = y.Columns;
        if (w == 0)
        {
            return;
        }
        MatrixView<T> ya = UnitUpper(y, scratch);
        Span<T> product = scratch.Slice(w * w, w), weighted = scratch.Slice(w * w + w, w);
        ReadOnlyMatrixView<T> yb = y.Slice(0, w, w, l - w);
        Span<T> b1 = b[..w], b2 = b[w..];

        Level2.Gemv(Transpose.None, T.One, ya, b1, T.Zero, product, options);
        Level2.Gemv(Transpose.None, T.One, yb, b2, T.One, product, options);
        Level2.Gemv(opT, T.One, t, product, T.Zero, weighted, options);
        Level2.Gemv(Transpose.Transposed, -T.One, ya, weighted, T.One, b1, options);
        Level2.Gemv(Transpose.Transposed, -T.One, yb, weighted, T.One, b2, options);
    }

    /// <summary>Scratch that the one-vector <see cref="ApplyFromLeft{T}(Span{T}, ReadOnlyMatrixView{T}, ReadOnlyMatrixView{T}, Transpose, Span{T}, BlasOptions)"/> needs.</summary>
    public static int ApplyVectorScratch(int w) => w * w + 2 * w;
}
