using System.Runtime.Intrinsics;

namespace Kernels.Simd;

/// <summary>
/// An element-wise operation <c>f(x, y, z)</c> with one implementation per vector width; see <see cref="IUnaryOperator{T}"/>.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ITernaryOperator<T> where T : unmanaged
{
    /// <summary>Applies the operation to one triple of elements.</summary>
    T Invoke(T x, T y, T z);

    /// <summary>Applies the operation lane by lane to 128-bit vectors.</summary>
    Vector128<T> Invoke(Vector128<T> x, Vector128<T> y, Vector128<T> z);

    /// <summary>Applies the operation lane by lane to 256-bit vectors.</summary>
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y, Vector256<T> z);

    /// <summary>Applies the operation lane by lane to 512-bit vectors.</summary>
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y, Vector512<T> z);
}
