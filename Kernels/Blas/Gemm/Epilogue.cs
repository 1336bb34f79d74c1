using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Blas;

/// <summary>
/// The C update after a microkernel: C ← alpha·acc + beta·C, and C ← alpha·acc (C unread) when beta is zero, then the
/// <see cref="OutputTransform{T}"/> (bias and activation) of the last depth block, before the one store.
/// </summary>
internal static unsafe class Epilogue
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Update<T>(T* c, Vector512<T> acc0, Vector512<T> acc1, T alpha, T beta, in OutputTransform<T> transform)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* c1 = c + Vector512<T>.Count;
        Vector512<T> r0, r1;
        if (IsZero(beta))
        {
            r0 = acc0 * alpha;
            r1 = acc1 * alpha;
        }
        else
        {
            r0 = VectorMath.MultiplyAdd(acc0, Vector512.Create(alpha), Vector512.Load(c) * beta);
            r1 = VectorMath.MultiplyAdd(acc1, Vector512.Create(alpha), Vector512.Load(c1) * beta);
        }
        if (!transform.IsIdentity)
        {
            r0 = transform.Apply(r0, 0);
            r1 = transform.Apply(r1, Vector512<T>.Count);
        }
        r0.Store(c);
        r1.Store(c1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Update<T>(T* c, Vector256<T> acc0, Vector256<T> acc1, T alpha, T beta, in OutputTransform<T> transform)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* c1 = c + Vector256<T>.Count;
        Vector256<T> r0, r1;
        if (IsZero(beta))
        {
            r0 = acc0 * alpha;
            r1 = acc1 * alpha;
        }
        else
        {
            r0 = VectorMath.MultiplyAdd(acc0, Vector256.Create(alpha), Vector256.Load(c) * beta);
            r1 = VectorMath.MultiplyAdd(acc1, Vector256.Create(alpha), Vector256.Load(c1) * beta);
        }
        if (!transform.IsIdentity)
        {
            r0 = transform.Apply(r0, 0);
            r1 = transform.Apply(r1, Vector256<T>.Count);
        }
        r0.Store(c);
        r1.Store(c1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Update<T>(T* c, Vector128<T> acc0, Vector128<T> acc1, T alpha, T beta, in OutputTransform<T> transform)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* c1 = c + Vector128<T>.Count;
        Vector128<T> r0, r1;
        if (IsZero(beta))
        {
            r0 = acc0 * alpha;
            r1 = acc1 * alpha;
        }
        else
        {
            r0 = VectorMath.MultiplyAdd(acc0, Vector128.Create(alpha), Vector128.Load(c) * beta);
            r1 = VectorMath.MultiplyAdd(acc1, Vector128.Create(alpha), Vector128.Load(c1) * beta);
        }
        if (!transform.IsIdentity)
        {
            r0 = transform.Apply(r0, 0);
            r1 = transform.Apply(r1, Vector128<T>.Count);
        }
        r0.Store(c);
        r1.Store(c1);
    }

    /// <summary>Updates the <paramref name="rows"/> × <paramref name="cols"/> corner of C from a spilled tile.</summary>
    public static void UpdatePartial<T>(T* tile, int tileStride, T* c, nint ldc, int rows, int cols, T alpha, T beta, in OutputTransform<T> transform)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool overwrite = IsZero(beta);
        bool identity = transform.IsIdentity;
        for (int r = 0; r < rows; r++)
        {
            T* cr = c + r * ldc;
            T* tr = tile + r * tileStride;
            for (int j = 0; j < cols; j++)
            {
                T v = overwrite ? alpha * tr[j] : VectorMath.MultiplyAdd(tr[j], alpha, beta * cr[j]);
                cr[j] = identity ? v : transform.Apply(v, j);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsZero<T>(T value) where T : unmanaged, IFloatingPointIeee754<T> => value == T.Zero;
}
