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
    public static unsafe void Gemm<T>(Transpose transA, Transpose transB, T alpha, ReadOnlyMatrixView<T> a, ReadOnlyMatrixView<T> b,
        T beta, MatrixView<T> c, BlasOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
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
        options = Checked(options, alpha, beta);

        fixed (T* pa = a.Data)
        fixed (T* pb = b.Data)
        fixed (T* pc = c.Data)
        {
            var sa = new PinnedMatrixSource<T>(pa, a.Data.Length, a.Rows, a.Columns, a.Stride, transA);
            var sb = new PinnedMatrixSource<T>(pb, b.Data.Length, b.Rows, b.Columns, b.Stride, transB);
            GemmDriver.Run(alpha, sa, sb, beta, pc, c.Stride, m, n, k, options);
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
            GemmDriver.Run(alpha, a, b, beta, pc, c.Stride, a.Rows, b.Columns, a.Columns, options);
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
