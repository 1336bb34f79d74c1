using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kernels.Sparse;

/// <summary>
/// Indexed vector loads <c>source[indices[0]], …, source[indices[w − 1]]</c> with the AVX2 gather instructions.
/// </summary>
/// <remarks>
/// .NET 10 exposes no 512-bit gather (<c>vgatherdps zmm</c>), so machines with AVX-512 use these 256-bit gathers too.
/// The indices must already be validated: the instructions read wherever they point. Type tests on
/// the element type fold away in the JIT.
/// </remarks>
internal static unsafe class HardwareGather
{
    /// <summary>True when the gathers below may be called.</summary>
    public static bool IsSupported
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx2.IsSupported;
    }

    /// <summary>Gathers <c>Vector256&lt;T&gt;.Count</c> elements; reads exactly that many indices.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Gather256<T>(T* source, ref int indices) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Avx2.GatherVector256((float*)source, Vector256.LoadUnsafe(ref indices), sizeof(float)).As<float, T>();
        }
        if (typeof(T) == typeof(double))
        {
            return Avx2.GatherVector256((double*)source, Vector128.LoadUnsafe(ref indices), sizeof(double)).As<double, T>();
        }
        throw new NotSupportedException($"{typeof(T)} is not a supported element type; use float or double.");
    }

    /// <summary>Gathers <c>Vector128&lt;T&gt;.Count</c> elements; reads exactly that many indices.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Gather128<T>(T* source, ref int indices) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Avx2.GatherVector128((float*)source, Vector128.LoadUnsafe(ref indices), sizeof(float)).As<float, T>();
        }
        if (typeof(T) == typeof(double))
        {
            // Two indices: load 8 bytes, not a full 128-bit vector that could run past the end of the index span.
            Vector128<int> pair = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<int, byte>(ref indices))).AsInt32();
            return Avx2.GatherVector128((double*)source, pair, sizeof(double)).As<double, T>();
        }
        throw new NotSupportedException($"{typeof(T)} is not a supported element type; use float or double.");
    }
}
