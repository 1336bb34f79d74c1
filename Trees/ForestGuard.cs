using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Kernels.Blas;

namespace Kernels.Trees;

/// <summary>
/// The checks only <see cref="ThresholdForest"/> makes (finite data whose inner products cannot overflow, a threshold
/// that is not NaN, arguments apart from the forest's own weights); the generic ones are <see cref="Guard"/>'s. As
/// there, the checks inline and the throws do not, so message formatting stays out of the hot Query and Update paths.
/// </summary>
internal static class ForestGuard
{
    /// <summary>
    /// Largest allowed bound d·max|w|·max|x| on an inner product. Every partial sum of a d-term dot product is at
    /// most (1 + 2⁻²⁴)^d times that bound, and (1 + 2⁻²⁴)^d &lt; 2 for any d an array allows, so no leaf and no
    /// intermediate of the leaves' fused dot products can overflow to ±∞ (which would break the max order like NaN).
    /// </summary>
    public const double InnerProductLimit = float.MaxValue / 2.0;

    /// <summary>Throws <see cref="ArgumentException"/> when an argument shares memory with the forest's own weights,
    /// which the update overwrites while it still reads the argument.</summary>
    public static void RequireDisjoint(ReadOnlySpan<float> argument, ReadOnlySpan<float> weights, string name)
    {
        if (argument.Overlaps(weights))
        {
            ThrowAliased(name);
        }
    }

    /// <summary>Returns max |a[r, c]|, throwing <see cref="ArgumentException"/> if any element is NaN or infinite.</summary>
    public static float MaxMagnitude(ReadOnlyMatrixView<float> matrix, string name)
    {
        float max = 0;
        for (int r = 0; r < matrix.Rows; r++)
        {
            float row = Level1.MaxMagnitude<float>(matrix.Row(r));
            if (!float.IsFinite(row))
            {
                ThrowNotFinite(name, $"row {r}");
            }
            max = MathF.Max(max, row);
        }
        return max;
    }

    /// <summary>Returns max |v[k]|, throwing <see cref="ArgumentException"/> if any element is NaN or infinite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxMagnitude(ReadOnlySpan<float> vector, string name)
    {
        float max = Level1.MaxMagnitude(vector);
        if (!float.IsFinite(max))
        {
            ThrowNotFinite(name, "an element");
        }
        return max;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="magnitude"/>, the largest |element| of an
    /// argument measured elsewhere, is NaN or infinite (some element was).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireFinite(float magnitude, string name)
    {
        if (!float.IsFinite(magnitude))
        {
            ThrowNotFinite(name, "an element");
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> when d·max|w|·max|x| exceeds <see cref="InnerProductLimit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireNoOverflow(int dimension, float weightMagnitude, float dataMagnitude, string name)
    {
        double bound = (double)dimension * weightMagnitude * dataMagnitude;
        if (bound > InnerProductLimit)
        {
            ThrowOverflow(bound, name);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotFinite(string name, string where) =>
        throw new ArgumentException($"{name}: {where} is NaN or infinite; the max order of the trees needs finite values.", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowAliased(string name) =>
        throw new ArgumentException($"{name} shares memory with the forest's weights, which the update overwrites; pass a copy.", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverflow(double bound, string name) =>
        throw new ArgumentException(
            $"{name}: d·max|w|·max|x| = {bound:E3} exceeds {InnerProductLimit:E3}, so an inner product could overflow float.", name);
}
