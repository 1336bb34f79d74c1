using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kernels.Activations;

/// <summary>
/// The vector operations of <see cref="ThresholdProducts"/>'s dot-product block for one vector width, so that the
/// block is written once and specialized by the JIT per width (a struct type argument). <typeparamref name="TVector"/>
/// holds <see cref="Width"/> floats: a Vector512, Vector256 or Vector128 of float, or a single float.
/// </summary>
internal interface IProductLanes<TVector> where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Width { get; }

    /// <summary>The vector of zeros.</summary>
    static abstract TVector Zero { get; }

    /// <summary>Loads <see cref="Width"/> floats starting <paramref name="offset"/> elements past <paramref name="source"/>.</summary>
    static abstract TVector Load(ref float source, nint offset);

    /// <summary>As <see cref="Load"/>, with lanes below <paramref name="firstLane"/> set to zero: the new lanes of an overlapping tail.</summary>
    static abstract TVector LoadFrom(ref float source, nint offset, int firstLane);

    /// <summary><c>a·b + c</c>, fused where the hardware fuses.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>The vector folded to four lanes whose sum is the sum of all lanes (halves added, in a fixed order).</summary>
    static abstract Vector128<float> Fold(TVector v);
}

/// <summary>512-bit lanes.</summary>
internal readonly struct ProductLanes512 : IProductLanes<Vector512<float>>
{
    public static int Width => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint offset) => Vector512.LoadUnsafe(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadFrom(ref float source, nint offset, int firstLane) =>
        Load(ref source, offset) & VectorMath.LanesFrom512<float>(firstLane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(Vector512<float> v)
    {
        Vector256<float> half = v.GetLower() + v.GetUpper();
        return half.GetLower() + half.GetUpper();
    }
}

/// <summary>256-bit lanes.</summary>
internal readonly struct ProductLanes256 : IProductLanes<Vector256<float>>
{
    public static int Width => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nint offset) => Vector256.LoadUnsafe(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadFrom(ref float source, nint offset, int firstLane) =>
        Load(ref source, offset) & VectorMath.LanesFrom256<float>(firstLane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(Vector256<float> v) => v.GetLower() + v.GetUpper();
}

/// <summary>128-bit lanes.</summary>
internal readonly struct ProductLanes128 : IProductLanes<Vector128<float>>
{
    public static int Width => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(ref float source, nint offset) => Vector128.LoadUnsafe(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadFrom(ref float source, nint offset, int firstLane) =>
        Load(ref source, offset) & VectorMath.LanesFrom128<float>(firstLane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(Vector128<float> v) => v;
}

/// <summary>One float per "vector", for runs without hardware intrinsics and for d below the narrowest vector.</summary>
internal readonly struct ProductLanesScalar : IProductLanes<float>
{
    public static int Width => 1;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, nint offset) => Unsafe.Add(ref source, offset);

    /// <summary>A one-lane vector never overlaps, so <paramref name="firstLane"/> is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadFrom(ref float source, nint offset, int firstLane) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(float v) => Vector128.CreateScalar(v);
}

/// <summary>The sums of four folded vectors at once, for <see cref="ThresholdProducts"/>'s compare with τ.</summary>
internal static class FoldedSums
{
    /// <summary>
    /// Lane k holds the sum of the four lanes of the k-th argument: two rounds of pairwise horizontal adds where SSE3
    /// has them (three instructions for four sums), else a fixed-order sum per vector. The order is fixed per machine,
    /// so results do not depend on threads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Of(Vector128<float> v0, Vector128<float> v1, Vector128<float> v2, Vector128<float> v3)
    {
        if (Sse3.IsSupported)
        {
            return Sse3.HorizontalAdd(Sse3.HorizontalAdd(v0, v1), Sse3.HorizontalAdd(v2, v3));
        }
        return Vector128.Create(Pairwise(v0), Pairwise(v1), Pairwise(v2), Pairwise(v3));
    }

    /// <summary>(v₀ + v₁) + (v₂ + v₃), the order of the SSE3 path.</summary>
    private static float Pairwise(Vector128<float> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
}
