using Kernels.Randomness;

namespace Kernels.Verification.Kernels.Randomness;

/// <summary>The generator's paths this process can run, widest first; tests compare them in-process.</summary>
internal static class RandomPaths
{
    public static IReadOnlyList<VectorPath> Supported { get; } =
        new[] { VectorPath.Vector512, VectorPath.Vector256, VectorPath.Scalar }.Where(VectorPaths.IsSupported).ToArray();
}
