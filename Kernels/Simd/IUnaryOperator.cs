using System.Runtime.Intrinsics;

namespace Kernels.Simd;

/// <summary>
/// An element-wise operation <c>f(x)</c> with one implementation per vector width.
/// Implement it on a <c>readonly struct</c> so that <see cref="UnaryDriver"/> is specialized and inlined per operator;
/// the struct may carry parameters (a threshold, a scale).
/// </summary>
/// <remarks>All four overloads must compute the same function lane by lane, so that the driver may mix widths.</remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IUnaryOperator<T> where T : unmanaged
{
    /// <summary>Applies the operation to one element.</summary>
    T Invoke(T x);

    /// <summary>Applies the operation to each lane of a 128-bit vector.</summary>
    Vector128<T> Invoke(Vector128<T> x);

    /// <summary>Applies the operation to each lane of a 256-bit vector.</summary>
    Vector256<T> Invoke(Vector256<T> x);

    /// <summary>Applies the operation to each lane of a 512-bit vector.</summary>
    Vector512<T> Invoke(Vector512<T> x);
}
