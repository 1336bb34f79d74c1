using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Activations;

/// <summary>
/// The vector operations of <see cref="ThresholdProducts"/>' broadcast kernel for one vector width, so that the
/// kernel is written once and specialized by the JIT per width (a struct type argument). A
/// <typeparamref name="TVector"/> holds one coordinate k of <see cref="Width"/> points (a Vector512, Vector256 or
/// Vector128 of float, or a single float): lane p of an accumulator is the running inner product of point p.
/// </summary>
/// <remarks>Every multiply-add is fused on every path (<c>FusedMultiplyAdd</c>, emulated in software where the
/// hardware has no FMA), so each lane computes exactly the scalar chain s = fma(w[k], x[k], s): the widths give the
/// same bits.</remarks>
internal unsafe interface IProductLanes<TVector> where TVector : struct
{
    /// <summary>Points per vector.</summary>
    static abstract int Width { get; }

    /// <summary>The vector of (positive) zeros.</summary>
    static abstract TVector Zero { get; }

    /// <summary>Loads <see cref="Width"/> floats from <paramref name="source"/>.</summary>
    static abstract TVector Load(float* source);

    /// <summary><c>x·w + accumulator</c> in every lane, w = *<paramref name="weight"/> broadcast, rounded once.</summary>
    static abstract TVector MultiplyAddBroadcast(TVector x, float* weight, TVector accumulator);

    /// <summary>Bit p set where lane p satisfies <paramref name="predicate"/>.</summary>
    static abstract ulong Matches(TVector value, in GreaterOrEqualPredicate<float> predicate);
}

/// <summary>16 points per vector.</summary>
internal readonly unsafe struct ProductLanes512 : IProductLanes<Vector512<float>>
{
    public static int Width => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAddBroadcast(Vector512<float> x, float* weight, Vector512<float> accumulator) =>
        Vector512.FusedMultiplyAdd(x, Vector512.Create(*weight), accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Matches(Vector512<float> value, in GreaterOrEqualPredicate<float> predicate) =>
        predicate.Test(value).ExtractMostSignificantBits();
}

/// <summary>8 points per vector.</summary>
internal readonly unsafe struct ProductLanes256 : IProductLanes<Vector256<float>>
{
    public static int Width => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAddBroadcast(Vector256<float> x, float* weight, Vector256<float> accumulator) =>
        Vector256.FusedMultiplyAdd(x, Vector256.Create(*weight), accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Matches(Vector256<float> value, in GreaterOrEqualPredicate<float> predicate) =>
        predicate.Test(value).ExtractMostSignificantBits();
}

/// <summary>4 points per vector.</summary>
internal readonly unsafe struct ProductLanes128 : IProductLanes<Vector128<float>>
{
    public static int Width => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAddBroadcast(Vector128<float> x, float* weight, Vector128<float> accumulator) =>
        Vector128.FusedMultiplyAdd(x, Vector128.Create(*weight), accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Matches(Vector128<float> value, in GreaterOrEqualPredicate<float> predicate) =>
        predicate.Test(value).ExtractMostSignificantBits();
}

/// <summary>One point per "vector", for runs without hardware intrinsics.</summary>
internal readonly unsafe struct ProductLanesScalar : IProductLanes<float>
{
    public static int Width => 1;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAddBroadcast(float x, float* weight, float accumulator) => MathF.FusedMultiplyAdd(x, *weight, accumulator);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Matches(float value, in GreaterOrEqualPredicate<float> predicate) => predicate.Test(value) ? 1ul : 0ul;
}
