using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kernels.Randomness;

/// <summary>
/// Which implementation fills a group of Philox blocks. Every path gives the same bits; tests force the narrower
/// ones in-process to prove it, besides the CI re-runs with ISA knobs.
/// </summary>
internal enum VectorPath
{
    /// <summary>One block at a time, in scalar code.</summary>
    Scalar = 0,

    /// <summary>Eight blocks per vector, AVX2.</summary>
    Vector256 = 256,

    /// <summary>Sixteen blocks per vector, AVX-512.</summary>
    Vector512 = 512,
}

/// <summary>Chooses the widest <see cref="VectorPath"/> this process can run.</summary>
internal static class VectorPaths
{
    /// <summary>
    /// The widest supported path. The 32×32→64-bit multiplies of Philox use x86 intrinsics, so other architectures
    /// (and x86 without AVX2) take the scalar path.
    /// </summary>
    public static VectorPath Widest =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? VectorPath.Vector512
        : Vector256.IsHardwareAccelerated && Avx2.IsSupported ? VectorPath.Vector256
        : VectorPath.Scalar;

    /// <summary>True when <paramref name="path"/> can run here.</summary>
    public static bool IsSupported(VectorPath path) => path <= Widest;
}
