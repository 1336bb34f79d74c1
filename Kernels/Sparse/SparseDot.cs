using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Sparse;

/// <summary>
/// The sparse dot product <c>Σₖ values[k]·x[indices[k]]</c> behind one row of <see cref="SparseBlas.SpMV{T}"/>:
/// for rows of at least <see cref="GatherMinimum"/> entries, gathered loads of x, fused multiply-add, two vector
/// accumulators and an overlapping last vector whose already-counted lanes are masked out; for shorter rows, a scalar
/// fused multiply-add loop.
/// </summary>
/// <remarks>
/// The order of the operations depends only on the number of terms and on whether the gathers are available, so
/// a row gives the same bits on every run. Indices must already be in range.
/// </remarks>
internal static unsafe class SparseDot
{
    /// <summary>
    /// Shortest row worth gathering. Below it, the gathers' fixed cost and the horizontal reduction outweigh the
    /// vector arithmetic: on Zen 4 a scalar loop was 1.3–2.5× faster for rows of 3–10 entries (the 5-point stencil,
    /// for example), break-even near 12–16 (double) and 16–20 (float), and the gathers won from 24 entries on.
    /// </summary>
    public const int GatherMinimum = 16;

    public static T Run<T>(T* x, ref T values, ref int indices, nuint n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (HardwareGather.IsSupported && n >= GatherMinimum)
        {
            return Run256(x, ref values, ref indices, n);
        }
        T sum = T.Zero;
        for (nuint k = 0; k < n; k++)
        {
            sum = VectorMath.MultiplyAdd(Unsafe.Add(ref values, k), x[(uint)Unsafe.Add(ref indices, k)], sum);
        }
        return sum;
    }

    private static T Run256<T>(T* x, ref T values, ref int indices, nuint n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint w = (nuint)Vector256<T>.Count;
        Vector256<T> a0 = Vector256<T>.Zero, a1 = Vector256<T>.Zero;
        nuint i = 0;
        for (; i + 2 * w <= n; i += 2 * w)
        {
            a0 = VectorMath.MultiplyAdd(Vector256.LoadUnsafe(ref values, i), HardwareGather.Gather256(x, ref Unsafe.Add(ref indices, i)), a0);
            a1 = VectorMath.MultiplyAdd(Vector256.LoadUnsafe(ref values, i + w), HardwareGather.Gather256(x, ref Unsafe.Add(ref indices, i + w)), a1);
        }
        if (i + w <= n)
        {
            a0 = VectorMath.MultiplyAdd(Vector256.LoadUnsafe(ref values, i), HardwareGather.Gather256(x, ref Unsafe.Add(ref indices, i)), a0);
            i += w;
        }
        if (i < n)
        {
            // Overlapping last vector: only its lanes past the processed prefix may enter the accumulator.
            Vector256<T> fresh = VectorMath.LanesFrom256<T>((int)(w - (n - i)));
            Vector256<T> term = VectorMath.MultiplyAdd(Vector256.LoadUnsafe(ref values, n - w), HardwareGather.Gather256(x, ref Unsafe.Add(ref indices, n - w)), a1);
            a1 = Vector256.ConditionalSelect(fresh, term, a1);
        }
        return Horizontal.Reduce(a0 + a1, default(SumAccumulator<T>));
    }
}
