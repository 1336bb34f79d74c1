using System.Numerics;
using Kernels.Simd;

namespace Kernels.Activations;

/// <summary>
/// Rectified linear units on spans, for <see cref="float"/> and <see cref="double"/>: <see cref="Relu{T}"/>,
/// the shifted unit <see cref="ShiftedRelu{T}"/>, its derivative mask <see cref="ShiftedReluMask{T}"/> and its backward pass
/// <see cref="ShiftedReluBackward{T}"/>.
/// </summary>
/// <remarks>
/// <para>The maximum is IEEE 754-2019 <c>maximum</c> (that of <c>Vector512.Max</c> and <c>T.Max</c>): a NaN input gives
/// NaN, and −0 gives +0. The scalar and every vector path compute the same bits.</para>
/// <para>The destination may be the input itself (in place); a partial overlap throws <see cref="ArgumentException"/>.
/// Only the first <c>x.Length</c> elements of the destination are written.</para>
/// </remarks>
public static class Rectifiers
{
    /// <summary>Writes max(x[i], 0) to destination[i].</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>, or partly overlaps it.</exception>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        UnaryDriver.Run(x, destination, default(ReluOperator<T>));
    }

    /// <summary>
    /// Writes max(x[i] − bias, 0) to destination[i]. The difference is rounded once before the maximum, and it is
    /// zero exactly when x[i] = bias (IEEE subtraction of finite values never underflows to zero).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>, or partly overlaps it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bias"/> is not finite.</exception>
    public static void ShiftedRelu<T>(ReadOnlySpan<T> x, T bias, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireFinite(bias, nameof(bias));
        UnaryDriver.Run(x, destination, new ShiftedReluOperator<T>(bias));
    }

    /// <summary>
    /// Writes 1 to destination[i] where x[i] ≥ bias and 0 elsewhere: the derivative of <see cref="ShiftedRelu{T}"/>,
    /// taking the boundary x[i] = bias as active. That matches the active set Q = {r : ⟨w_r, x⟩ ≥ b} of the sublinear
    /// trainer and <see cref="Threshold.CompressGreaterOrEqual{T}"/>, which reports exactly the positions marked 1.
    /// NaN compares false and gives 0.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>, or partly overlaps it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bias"/> is not finite.</exception>
    public static void ShiftedReluMask<T>(ReadOnlySpan<T> x, T bias, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireFinite(bias, nameof(bias));
        UnaryDriver.Run(x, destination, new ShiftedReluMaskOperator<T>(bias));
    }

    /// <summary>
    /// Writes outputGradient[i] to destination[i] where x[i] ≥ bias and +0 elsewhere: the backward pass of
    /// <see cref="ShiftedRelu{T}"/>, dX = dY ⊙ 1[x ≥ b], with the boundary x[i] = bias active as in
    /// <see cref="ShiftedReluMask{T}"/>. It is a select, not a product: an inactive position gives +0 even where dY is
    /// infinite or NaN, and a NaN x is inactive.
    /// </summary>
    /// <param name="x">The input of the forward pass (pre-activation).</param>
    /// <param name="outputGradient">dY, the gradient with respect to the output, of the same length.</param>
    /// <param name="bias">The shift b of the forward pass.</param>
    /// <param name="destination">dX; may be x or outputGradient itself (in place).</param>
    /// <exception cref="ArgumentException">The inputs differ in length, <paramref name="destination"/> is shorter than them, or it partly overlaps one.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bias"/> is not finite.</exception>
    public static void ShiftedReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> outputGradient, T bias, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireFinite(bias, nameof(bias));
        Guard.RequireLength(outputGradient.Length, x.Length, nameof(outputGradient), "the length of x");
        BinaryDriver.Run(x, outputGradient, destination, new ShiftedReluBackwardOperator<T>(bias));
    }
}
