using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Kernels.Core;

/// <summary>
/// Width-generic arithmetic helpers that the BCL exposes only for concrete element types, chiefly fused
/// multiply-add at each vector width, for operator structs (<see cref="Kernels.Simd.IUnaryOperator{T}"/> …) written
/// outside the library. Type tests on the element type are constant-folded by the JIT; an element type other than
/// <see cref="float"/> or <see cref="double"/> throws <see cref="NotSupportedException"/>.
/// </summary>
public static unsafe class VectorMath
{
    /// <summary>
    /// True when the hardware fuses multiply-add. Where it does not (x86 without FMA, or hardware intrinsics
    /// disabled) every kernel uses a separate multiply and add instead of a slow software emulation.
    /// </summary>
    public static bool HasFusedMultiplyAdd
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Fma.IsSupported || AdvSimd.IsSupported;
    }

    /// <summary><c>a·b + c</c>, rounded once where the hardware fuses multiply-add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd<T>(T a, T b, T c) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float r = HasFusedMultiplyAdd
                ? MathF.FusedMultiplyAdd((float)(object)a, (float)(object)b, (float)(object)c)
                : (float)(object)a * (float)(object)b + (float)(object)c;
            return (T)(object)r;
        }
        if (typeof(T) == typeof(double))
        {
            double r = HasFusedMultiplyAdd
                ? Math.FusedMultiplyAdd((double)(object)a, (double)(object)b, (double)(object)c)
                : (double)(object)a * (double)(object)b + (double)(object)c;
            return (T)(object)r;
        }
        throw new NotSupportedException($"{typeof(T)} is not a supported element type; use float or double.");
    }

    /// <inheritdoc cref="MultiplyAdd{T}(T, T, T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c) where T : unmanaged
    {
        if (!HasFusedMultiplyAdd)
        {
            return a * b + c;
        }
        if (typeof(T) == typeof(float))
        {
            return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }
        if (typeof(T) == typeof(double))
        {
            return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        throw new NotSupportedException($"{typeof(T)} is not a supported element type; use float or double.");
    }

    /// <inheritdoc cref="MultiplyAdd{T}(T, T, T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c) where T : unmanaged
    {
        if (!HasFusedMultiplyAdd)
        {
            return a * b + c;
        }
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }
        if (typeof(T) == typeof(double))
        {
            return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        throw new NotSupportedException($"{typeof(T)} is not a supported element type; use float or double.");
    }

    /// <inheritdoc cref="MultiplyAdd{T}(T, T, T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }
        if (typeof(T) == typeof(double))
        {
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }
        throw new NotSupportedException($"{typeof(T)} is not a supported element type; use float or double.");
    }

    /// <summary>
    /// Mask whose lanes at index ≥ <paramref name="firstLane"/> are set (all bits of the lane): selects the new lanes of
    /// an overlapping tail vector, e.g. with <see cref="Vector128.ConditionalSelect{T}(Vector128{T}, Vector128{T}, Vector128{T})"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LanesFrom128<T>(int firstLane) where T : unmanaged
    {
        if (sizeof(T) == 4)
        {
            return Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(firstLane)).As<int, T>();
        }
        return Vector128.GreaterThanOrEqual(Vector128<long>.Indices, Vector128.Create((long)firstLane)).As<long, T>();
    }

    /// <inheritdoc cref="LanesFrom128{T}(int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LanesFrom256<T>(int firstLane) where T : unmanaged
    {
        if (sizeof(T) == 4)
        {
            return Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(firstLane)).As<int, T>();
        }
        return Vector256.GreaterThanOrEqual(Vector256<long>.Indices, Vector256.Create((long)firstLane)).As<long, T>();
    }

    /// <inheritdoc cref="LanesFrom128{T}(int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LanesFrom512<T>(int firstLane) where T : unmanaged
    {
        if (sizeof(T) == 4)
        {
            return Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(firstLane)).As<int, T>();
        }
        return Vector512.GreaterThanOrEqual(Vector512<long>.Indices, Vector512.Create((long)firstLane)).As<long, T>();
    }
}
