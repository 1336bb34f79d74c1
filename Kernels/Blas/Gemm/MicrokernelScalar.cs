using System.Numerics;
using Kernels.Simd;

namespace Kernels.Blas;

/// <summary>Gemm microkernel without vectors (hardware intrinsics disabled): a 4 × 4 tile in scalar registers.</summary>
internal readonly unsafe struct MicrokernelScalar<T> : IMicrokernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 4;

    public static int NR => 4;

    public static bool IsSupported => true;

    public static void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta, int mr, int nr, in OutputTransform<T> transform)
    {
        T* tile = stackalloc T[16];
        new Span<T>(tile, 16).Clear();
        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < 4; r++)
            {
                T ar = a[r];
                T* tr = tile + 4 * r;
                tr[0] = VectorMath.MultiplyAdd(ar, b[0], tr[0]);
                tr[1] = VectorMath.MultiplyAdd(ar, b[1], tr[1]);
                tr[2] = VectorMath.MultiplyAdd(ar, b[2], tr[2]);
                tr[3] = VectorMath.MultiplyAdd(ar, b[3], tr[3]);
            }
            a += 4;
            b += 4;
        }
        Epilogue.UpdatePartial(tile, 4, c, ldc, mr, nr, alpha, beta, transform);
    }
}
