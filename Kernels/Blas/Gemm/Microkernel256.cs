using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Blas;

/// <summary>
/// Gemm microkernel for 256-bit vectors: a 6 × (2 vectors) tile of C held in 12 vector registers,
/// updated by one rank-1 step per k (two vector loads of packed B, 6 broadcasts of packed A, 12 fused multiply-adds).
/// </summary>
internal readonly unsafe struct Microkernel256<T> : IMicrokernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 6;

    public static int NR => 2 * Vector256<T>.Count;

    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta, int mr, int nr, in OutputTransform<T> transform)
    {
        // Start fetching the C tile now so that the epilogue does not wait for it.
        for (int r = 0; r < mr; r++)
        {
            Prefetch.Tile(c + r * ldc, NR * sizeof(T));
        }
        Vector256<T> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default, c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default, c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<T> b0 = Vector256.Load(b);
            Vector256<T> b1 = Vector256.Load(b + Vector256<T>.Count);
            Vector256<T> ai;
            ai = Vector256.Create(a[0]);
            c0_0 = VectorMath.MultiplyAdd(ai, b0, c0_0);
            c0_1 = VectorMath.MultiplyAdd(ai, b1, c0_1);
            ai = Vector256.Create(a[1]);
            c1_0 = VectorMath.MultiplyAdd(ai, b0, c1_0);
            c1_1 = VectorMath.MultiplyAdd(ai, b1, c1_1);
            ai = Vector256.Create(a[2]);
            c2_0 = VectorMath.MultiplyAdd(ai, b0, c2_0);
            c2_1 = VectorMath.MultiplyAdd(ai, b1, c2_1);
            ai = Vector256.Create(a[3]);
            c3_0 = VectorMath.MultiplyAdd(ai, b0, c3_0);
            c3_1 = VectorMath.MultiplyAdd(ai, b1, c3_1);
            ai = Vector256.Create(a[4]);
            c4_0 = VectorMath.MultiplyAdd(ai, b0, c4_0);
            c4_1 = VectorMath.MultiplyAdd(ai, b1, c4_1);
            ai = Vector256.Create(a[5]);
            c5_0 = VectorMath.MultiplyAdd(ai, b0, c5_0);
            c5_1 = VectorMath.MultiplyAdd(ai, b1, c5_1);
            a += 6;
            b += NR;
        }

        if (mr == 6 && nr == NR)
        {
            Epilogue.Update(c + 0 * ldc, c0_0, c0_1, alpha, beta, transform);
            Epilogue.Update(c + 1 * ldc, c1_0, c1_1, alpha, beta, transform);
            Epilogue.Update(c + 2 * ldc, c2_0, c2_1, alpha, beta, transform);
            Epilogue.Update(c + 3 * ldc, c3_0, c3_1, alpha, beta, transform);
            Epilogue.Update(c + 4 * ldc, c4_0, c4_1, alpha, beta, transform);
            Epilogue.Update(c + 5 * ldc, c5_0, c5_1, alpha, beta, transform);
        }
        else
        {
            // Edge tile: spill the whole register tile, then update only the part of C that exists.
            T* tile = stackalloc T[6 * 2 * Vector256<T>.Count];
            c0_0.Store(tile + 0 * NR); c0_1.Store(tile + 0 * NR + Vector256<T>.Count);
            c1_0.Store(tile + 1 * NR); c1_1.Store(tile + 1 * NR + Vector256<T>.Count);
            c2_0.Store(tile + 2 * NR); c2_1.Store(tile + 2 * NR + Vector256<T>.Count);
            c3_0.Store(tile + 3 * NR); c3_1.Store(tile + 3 * NR + Vector256<T>.Count);
            c4_0.Store(tile + 4 * NR); c4_1.Store(tile + 4 * NR + Vector256<T>.Count);
            c5_0.Store(tile + 5 * NR); c5_1.Store(tile + 5 * NR + Vector256<T>.Count);
            Epilogue.UpdatePartial(tile, NR, c, ldc, mr, nr, alpha, beta, transform);
        }
    }
}
