using System.Runtime.Intrinsics;

namespace Kernels.Simd;

/// <summary>
/// A reduction <c>acc ← Accumulate(acc, x, y)</c> over two inputs of equal length, such as a dot product.
/// The contract is that of <see cref="IUnaryAccumulator{T}"/>.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IBinaryAccumulator<T> : ICombiner<T> where T : unmanaged
{
    /// <summary>Folds one pair of elements into a scalar accumulator.</summary>
    T Accumulate(T accumulator, T x, T y);

    /// <summary>Folds each pair of lanes into the matching lane of the accumulator.</summary>
    Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x, Vector128<T> y);

    /// <inheritdoc cref="Accumulate(Vector128{T}, Vector128{T}, Vector128{T})"/>
    Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x, Vector256<T> y);

    /// <inheritdoc cref="Accumulate(Vector128{T}, Vector128{T}, Vector128{T})"/>
    Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x, Vector512<T> y);
}
