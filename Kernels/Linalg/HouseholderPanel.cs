using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Linalg;

/// <summary>
/// Householder factorization of one panel of columns, stored transposed (each column of A is a row of Y), and the
/// triangular factor T of its compact-WY form. Recursive after Elmroth and Gustavson ("Applying recursion to serial
/// and parallel QR factorization", IBM J. Res. Dev. 2000): factor the first half, apply it to the second half with
/// <see cref="CompactWY.ApplyFromRight{T}"/>, factor the second half, and join the two T factors by
/// T₁₂ = −T₁·(Y₁·Y₂ᵀ)·T₂. Panels of at most <see cref="BaseWidth"/> reflectors are factored one reflector at a time.
/// </summary>
internal static class HouseholderPanel
{
    /// <summary>Panels up to this many columns are factored reflector by reflector.</summary>
    public const int BaseWidth = 16;

    /// <summary>
    /// Factors the w × L panel Y in place: row i becomes (R entries, β = R[i, i], reflector tail), tau[i] its scalar,
    /// and T (w × w, written entirely) the compact-WY factor, so that H₀⋯H_{w−1} = I − Yᵀ·T·Y.
    /// </summary>
    public static void Factor<T>(MatrixView<T> y, Span<T> tau, MatrixView<T> t, Span<T> scratch, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = y.Rows;
        if (w <= BaseWidth)
        {
            FactorDirect(y, tau, scratch);
            FormT(y, tau, t);
            return;
        }
        int w1 = w / 2, w2 = w - w1, l = y.Columns;
        MatrixView<T> y1 = y.Slice(0, 0, w1, l);
        MatrixView<T> t11 = t.Slice(0, 0, w1, w1), t22 = t.Slice(w1, w1, w2, w2), t12 = t.Slice(0, w1, w1, w2);
        Factor(y1, tau[..w1], t11, scratch, options);
        CompactWY.ApplyFromRight(y.Slice(w1, 0, w2, l), y1, t11, Transpose.None, scratch, options);
        MatrixView<T> y2 = y.Slice(w1, w1, w2, l - w1);
        Factor(y2, tau[w1..], t22, scratch, options);

        // Y₁·Y₂ᵀ: Y₂ is zero before column w1 of the panel, so only Y₁'s columns from w1 on (all reflector tails) enter.
        MatrixView<T> y2a = CompactWY.UnitUpper<T>(y2, scratch);
        var coupling = new MatrixView<T>(scratch.Slice(w2 * w2, w1 * w2), w1, w2);
        var partial = new MatrixView<T>(scratch.Slice(w2 * w2 + w1 * w2, w1 * w2), w1, w2);
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, y1.Slice(0, w1, w1, w2), y2a, T.Zero, coupling, options);
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, y1.Slice(0, w1 + w2, w1, l - w1 - w2), y2.Slice(0, w2, w2, l - w1 - w2), T.One, coupling, options);
        Level3.Gemm(Transpose.None, Transpose.None, T.One, t11, coupling, T.Zero, partial, options);
        Level3.Gemm(Transpose.None, Transpose.None, -T.One, partial, t22, T.Zero, t12, options);
        for (int i = 0; i < w2; i++)
        {
            t.Row(w1 + i)[..w1].Clear();
        }
    }

    /// <summary>Scratch that <see cref="Factor{T}"/> needs for a panel of w reflectors.</summary>
    public static int ScratchLength(int w) => Math.Max(CompactWY.ApplyFromRightScratch(w, w), w * w + 2 * w * w);

    /// <summary>
    /// One reflector at a time: make row i's reflector from its entries at columns i.., then apply it to the rows
    /// below with one Gemv (sᵣ = Y[r, i] + Y[r, i+1..]·v) and one rank-1 update.
    /// </summary>
    private static void FactorDirect<T>(MatrixView<T> y, Span<T> tau, Span<T> scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = y.Rows, l = y.Columns;
        for (int i = 0; i < w; i++)
        {
            Span<T> x = y.Row(i)[i..];
            tau[i] = MakeReflector(x);
            int below = w - i - 1;
            if (below == 0 || tau[i] == T.Zero)
            {
                continue;
            }
            Span<T> s = scratch[..below];
            ReadOnlySpan<T> v = x[1..];
            MatrixView<T> rest = y.Slice(i + 1, i + 1, below, l - i - 1);
            Level2.Gemv(Transpose.None, T.One, rest, v, T.Zero, s, BlasOptions.SingleThreaded);
            for (int r = 0; r < below; r++)
            {
                ref T head = ref y[i + 1 + r, i];
                s[r] = tau[i] * (s[r] + head);
                head -= s[r];
            }
            Level2.Ger(-T.One, s, v, rest);
        }
    }

    /// <summary>
    /// Makes the reflector H = I − τ·(1, v)·(1, v)ᵀ with H·x = (β, 0, …, 0) (LAPACK's <c>larfg</c>): x[0] becomes β and
    /// x[1..] becomes v; returns τ. When x[1..] is zero, H is the identity (τ = 0, β = x[0]), so a zero column yields a
    /// zero on R's diagonal, never a NaN. β = −sign(x[0])·‖x‖ avoids cancellation in x[0] − β.
    /// </summary>
    public static T MakeReflector<T>(Span<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T alpha = x[0];
        T tailNorm = Level1.Nrm2<T>(x[1..]);
        if (tailNorm == T.Zero)
        {
            return T.Zero;
        }
        T norm = T.Hypot(alpha, tailNorm);
        T beta = T.IsNegative(alpha) ? norm : -norm;
        // |α − β| ≥ ‖x‖ > 0; dividing (rather than multiplying by a reciprocal) cannot overflow for subnormal columns.
        Span<T> tail = x[1..];
        UnaryDriver.Run(tail, tail, new DivideOperator<T>(alpha - beta));
        x[0] = beta;
        return (beta - alpha) / beta;
    }

    /// <summary>
    /// The compact-WY factor of the reflectors in Y, column by column (LAPACK's <c>larft</c>): T[i, i] = τᵢ and
    /// T[:i, i] = −τᵢ·T[:i, :i]·(Y[:i]·yᵢ), where (Y[:i]·yᵢ)_p = Y[p, i] + Y[p, i+1..]·Y[i, i+1..].
    /// </summary>
    private static void FormT<T>(ReadOnlyMatrixView<T> y, ReadOnlySpan<T> tau, MatrixView<T> t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = y.Rows;
        Span<T> column = stackalloc T[BaseWidth];
        for (int i = 0; i < w; i++)
        {
            ReadOnlySpan<T> yi = y.Row(i)[(i + 1)..];
            for (int p = 0; p < i; p++)
            {
                column[p] = y[p, i] + Level1.Dot(y.Row(p)[(i + 1)..], yi);
            }
            // T[:i, i] = −τᵢ·T[:i, :i]·column, with T[:i, :i] upper triangular.
            for (int p = 0; p < i; p++)
            {
                T sum = T.Zero;
                for (int q = p; q < i; q++)
                {
                    sum += t[p, q] * column[q];
                }
                t[p, i] = -tau[i] * sum;
            }
            t[i, i] = tau[i];
            t.Row(i)[..i].Clear();
        }
    }
}
