using System.Numerics;
using Kernels.Blas;

namespace Kernels.Solvers;

/// <summary>op(A) products of an <see cref="ILinearMap{T}"/> chosen by a <see cref="Transpose"/> value, for maps built on other maps.</summary>
internal static class LinearMapProducts
{
    /// <summary>y ← α·op(A)·x + β·y.</summary>
    public static void Apply<T>(this ILinearMap<T> map, Transpose transpose, T alpha, ReadOnlySpan<T> x, T beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (transpose == Transpose.None)
        {
            map.Apply(alpha, x, beta, y);
        }
        else
        {
            map.ApplyTranspose(alpha, x, beta, y);
        }
    }

    /// <summary>Y ← α·op(A)·X + β·Y.</summary>
    public static void Apply<T>(this ILinearMap<T> map, Transpose transpose, T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (transpose == Transpose.None)
        {
            map.Apply(alpha, x, beta, y);
        }
        else
        {
            map.ApplyTranspose(alpha, x, beta, y);
        }
    }
}
