using System.Runtime.Intrinsics;

namespace Kernels.Simd;

/// <summary>What this process's kernels run on: the widest accelerated vector and whether multiply-add is fused.</summary>
/// <remarks>
/// The runtime decides the width at start-up. On .NET 10 the knobs <c>DOTNET_EnableAVX512=0</c> (256-bit),
/// <c>DOTNET_EnableAVX2=0</c> (128-bit) and <c>DOTNET_EnableHWIntrinsic=0</c> (scalar) force narrower paths,
/// which is how the test suite exercises every path on one machine.
/// </remarks>
public static class SimdCapabilities
{
    /// <summary>Widest accelerated vector in bits: 512, 256 or 128, or 0 when only scalar code runs.</summary>
    public static int VectorBits =>
        Vector512.IsHardwareAccelerated ? 512
        : Vector256.IsHardwareAccelerated ? 256
        : Vector128.IsHardwareAccelerated ? 128
        : 0;

    /// <summary>True when kernels use fused multiply-add (one rounding per <c>a·b + c</c>).</summary>
    public static bool FusedMultiplyAdd => VectorMath.HasFusedMultiplyAdd;

    /// <summary>A one-line description such as <c>512-bit vectors, fused multiply-add</c>.</summary>
    public static string Describe() =>
        (VectorBits == 0 ? "scalar only" : $"{VectorBits}-bit vectors") + (FusedMultiplyAdd ? ", fused multiply-add" : ", separate multiply and add");
}
