using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>The argument checks every operator and preconditioner makes: two vectors of the operator's dimension that do not overlap.</summary>
internal static class OperatorGuard
{
    public static void RequireVectors<T>(int dimension, ReadOnlySpan<T> input, string inputName, ReadOnlySpan<T> output, string outputName)
    {
        Guard.RequireLength(input.Length, dimension, inputName, "the operator's dimension");
        Guard.RequireLength(output.Length, dimension, outputName, "the operator's dimension");
        Guard.RequireDisjoint(input, inputName, output, outputName);
    }
}
