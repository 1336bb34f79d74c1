using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kernels.Simd;

namespace Kernels.Blas;

/// <summary>
/// BLAS level 3: <c>C ← alpha·op(A)·op(B) + beta·C</c> for row-major matrices, built after BLIS: packed
/// micro-panels, a register-blocked fused multiply-add microkernel per vector width, cache blocking kept as data
/// (<see cref="GemmBlocking"/>), and threads above a size threshold (<see cref="BlasOptions"/>).
/// </summary>
/// <remarks>
/// <para>When <c>beta</c> is zero, C is overwritten without being read (NaN or garbage in C does not propagate),
/// as in reference BLAS. Otherwise IEEE arithmetic applies throughout: NaN and infinity in A or B propagate.</para>
/// <para>Each element of C is accumulated over k in a fixed order, so the result is bitwise identical for any
/// thread count; it may differ in the last bits between vector widths.</para>
/// <para>After warm-up a call allocates nothing, threaded or not: each thread keeps its aligned pack buffers for
/// later calls, and threads are dispatched without closures.</para>
/// </remarks>
public static class Level3
{
    /// <summary>
    /// Computes C ← alpha·op(A)·op(B) + beta·C, where op(A) is m × k, op(B) is k × n and C is m × n.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not agree, or C overlaps A or B.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> or <paramref name="beta"/> is not finite, or an option is out of range.</exception>
    public static void Gemm<T>(Transpose transA, Transpose transB, T alpha, ReadOnlyMatrixView<T> a, ReadOnlyMatrixView<T> b,
        T beta, MatrixView<T> c, BlasOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        GemmBiasActivation(transA, transB, alpha, a, b, beta, c, [], GemmActivation.Identity, T.Zero, options);

    /// <summary>
    /// Computes C ← act(alpha·op(A)·op(B) + beta·C + 1·biasᵀ): the product, the bias row added to every row, and the
    /// activation, fused into the microkernel's store of the last depth block, so C is written once.
    /// </summary>
    /// <remarks>
    /// The arithmetic is that of the separate kernels in the same order — Gemm's store, then one addition of the bias,
    /// then the activation of <see cref="Activations.Rectifiers"/> — so the result is the same bits as <see cref="Gemm{T}"/>
    /// followed by <see cref="Elementwise.Arithmetic.AddRowBias{T}"/> and <c>Rectifiers.Relu</c> or <c>ShiftedRelu</c>,
    /// for any thread count. With beta = 0, C is not read.
    /// </remarks>
    /// <param name="transA">Whether A is used transposed.</param>
    /// <param name="transB">Whether B is used transposed.</param>
    /// <param name="alpha">Scale of the product; must be finite.</param>
    /// <param name="a">A; op(A) is m × k.</param>
    /// <param name="b">B; op(B) is k × n.</param>
    /// <param name="beta">Scale of the old C; must be finite.</param>
    /// <param name="c">C, m × n; must not overlap A, B or the bias.</param>
    /// <param name="bias">n values, one per column of C, added to every row; empty for no bias.</param>
    /// <param name="activation">The activation applied last.</param>
    /// <param name="shift">The shift b of <see cref="GemmActivation.ShiftedRelu"/>, max(v − b, 0); must be finite, and zero for the other activations.</param>
    /// <param name="options">Threads and blocking; the result does not depend on them.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, the bias is neither empty nor n long, or C overlaps A, B or the bias.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A scalar is not finite, the activation is undefined, a shift is given to an activation without one, or an option is out of range.</exception>
    public static unsafe void GemmBiasActivation<T>(Transpose transA, Transpose transB, T alpha, ReadOnlyMatrixView<T> a, ReadOnlyMatrixView<T> b,
        T beta, MatrixView<T> c, ReadOnlySpan<T> bias, GemmActivation activation, T shift, BlasOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireDefined(transA, nameof(transA));
        Guard.RequireDefined(transB, nameof(transB));
        var (m, k) = OperandShape.Op(a.Rows, a.Columns, transA);
        var (kb, n) = OperandShape.Op(b.Rows, b.Columns, transB);
        if (kb != k)
        {
            throw new ArgumentException($"op(B) is {kb}×{n}; expected {k} rows to match the {m}×{k} op(A).", nameof(b));
        }
        Guard.RequireShape<T>(c, m, n, nameof(c), "the rows of op(A) × the columns of op(B)");
        Guard.RequireDisjoint<T>(a, nameof(a), c, nameof(c));
        Guard.RequireDisjoint<T>(b, nameof(b), c, nameof(c));
        CheckEpilogue(c, bias, activation, shift);
        options = Checked(options, alpha, beta);

        fixed (T* pa = a.Data)
        fixed (T* pb = b.Data)
        fixed (T* pc = c.Data)
        fixed (T* pbias = bias)
        {
            var sa = new PinnedMatrixSource<T>(pa, a.Data.Length, a.Rows, a.Columns, a.Stride, transA);
            var sb = new PinnedMatrixSource<T>(pb, b.Data.Length, b.Rows, b.Columns, b.Stride, transB);
            GemmDriver.Run(alpha, sa, sb, beta, pc, c.Stride, m, n, k, options, new OutputTransform<T>(bias.IsEmpty ? null : pbias, activation, shift));
        }
    }

    /// <summary>
    /// Computes C ← alpha·A·B + beta·C for operands given as panel sources, such as a
    /// <see cref="DenseMatrixSource{T}"/> or a virtual matrix that is never materialized.
    /// The sources must not alias C.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not agree.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> or <paramref name="beta"/> is not finite, or an option is out of range.</exception>
    public static unsafe void Gemm<T, TA, TB>(T alpha, TA a, TB b, T beta, MatrixView<T> c, BlasOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TA : struct, IPanelSource<T>
        where TB : struct, IPanelSource<T>
    {
        ElementType.Require<T>();
        if (b.Rows != a.Columns)
        {
            throw new ArgumentException($"B is {b.Rows}×{b.Columns}; expected {a.Columns} rows to match the {a.Rows}×{a.Columns} A.", nameof(b));
        }
        Guard.RequireShape<T>(c, a.Rows, b.Columns, nameof(c), "the rows of A × the columns of B");
        options = Checked(options, alpha, beta);
        fixed (T* pc = c.Data)
        {
            GemmDriver.Run(alpha, a, b, beta, pc, c.Stride, a.Rows, b.Columns, a.Columns, options, OutputTransform<T>.None);
        }
    }

    private static void CheckEpilogue<T>(MatrixView<T> c, ReadOnlySpan<T> bias, GemmActivation activation, T shift) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!bias.IsEmpty)
        {
            Guard.RequireMatrixDimension(bias.Length, c.Columns, nameof(bias), "column", "C", c.Rows, c.Columns);
            Guard.RequireDisjoint(bias, nameof(bias), c.Data[..(int)Guard.RequiredLength(c.Rows, c.Columns, c.Stride)], nameof(c));
        }
        Guard.RequireDefined(activation, nameof(activation));
        Guard.RequireFinite(shift, nameof(shift));
        if (activation != GemmActivation.ShiftedRelu && shift != T.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(shift), shift, $"shift must be zero for {activation}; only ShiftedRelu has one.");
        }
    }

    private static BlasOptions Checked<T>(BlasOptions? options, T alpha, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.RequireFinite(alpha, nameof(alpha));
        Guard.RequireFinite(beta, nameof(beta));
        options ??= BlasOptions.Default;
        options.Validate();
        return options;
    }
}
