using System.Runtime.Intrinsics;

namespace Kernels.Simd;

/// <summary>
/// The associative merge of a reduction: an <see cref="Identity"/> and a <c>Combine</c> per width.
/// Both accumulator shapes (<see cref="IUnaryAccumulator{T}"/>, <see cref="IBinaryAccumulator{T}"/>) extend it,
/// and the horizontal reduction of a vector of partial results needs nothing more.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ICombiner<T> where T : unmanaged
{
    /// <summary>The value every accumulator starts from, and the value of the reduction over no elements.
    /// <c>Combine(Identity, a)</c> must equal <c>a</c>.</summary>
    T Identity { get; }

    /// <summary>Merges two partial results.</summary>
    T Combine(T a, T b);

    /// <summary>Merges two vectors of partial results lane by lane.</summary>
    Vector128<T> Combine(Vector128<T> a, Vector128<T> b);

    /// <inheritdoc cref="Combine(Vector128{T}, Vector128{T})"/>
    Vector256<T> Combine(Vector256<T> a, Vector256<T> b);

    /// <inheritdoc cref="Combine(Vector128{T}, Vector128{T})"/>
    Vector512<T> Combine(Vector512<T> a, Vector512<T> b);
}
