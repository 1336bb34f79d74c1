using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Sparse;

/// <summary>
/// The sparse dot product <c>Σₖ values[k]·x[indices[k]]</c> behind one row of <see cref="SparseBlas.SpMV{T}"/>:
/// gathered loads of x, fused multiply-add, two vector accumulators and an overlapping last vector whose
/// already-counted lanes are masked out.
/// </summary>
/// <remarks>
/// The order of the operations depends only on the number of terms and on whether the gathers are available, so
/// a row gives the same bits on every run. Indices must already be in range.
/// </remarks>
internal static unsafe class SparseDot
{
    public static T Run<T>(T* x, ref T values, ref int indices, nuint n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (HardwareGather.IsSupported && n >= (nuint)Vector256<T>.Count)
        {
            return Run256(x, ref values, ref indices, n);
        }
        if (HardwareGather.IsSupported && n >= (nuint)Vector128<T>.Count)
        {
            return Run128(x, ref values, ref indices, n);
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

    /// <summary>For <c>Vector128&lt;T&gt;.Count ≤ n &lt; 2·Vector128&lt;T&gt;.Count</c>: one full and one overlapping vector.</summary>
    private static T Run128<T>(T* x, ref T values, ref int indices, nuint n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        nuint w = (nuint)Vector128<T>.Count;
        Vector128<T> sum = Vector128.LoadUnsafe(ref values) * HardwareGather.Gather128(x, ref indices);
        if (n > w)
        {
            Vector128<T> fresh = VectorMath.LanesFrom128<T>((int)(2 * w - n));
            Vector128<T> term = VectorMath.MultiplyAdd(Vector128.LoadUnsafe(ref values, n - w), HardwareGather.Gather128(x, ref Unsafe.Add(ref indices, n - w)), sum);
            sum = Vector128.ConditionalSelect(fresh, term, sum);
        }
        return Horizontal.Reduce(sum, default(SumAccumulator<T>));
    }
}
