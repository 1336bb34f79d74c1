using System.Numerics;
namespace Kernels.Blas;

/// <summary>
/// A Gemm microkernel: C[0..MR, 0..NR] ← alpha·(Ã·B̃) + beta·C for packed micro-panels Ã (kc × MR, k-major)
/// and B̃ (kc × NR, k-major). Only the top-left <c>mr × nr</c> part of the tile exists in C at the matrix edges.
/// When <c>beta</c> is zero, C is written without being read.
/// </summary>
internal unsafe interface IMicrokernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows of C per tile (the broadcast side).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of C per tile (the vector side).</summary>
    static abstract int NR { get; }

    /// <summary>Whether this process can run the kernel's vector width.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Updates the tile, then applies <paramref name="transform"/> (bias and activation; <see cref="OutputTransform{T}.None"/> before the last depth block) as it stores it.</summary>
    static abstract void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta, int mr, int nr, in OutputTransform<T> transform);
}
