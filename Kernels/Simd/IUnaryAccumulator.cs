using System.Runtime.Intrinsics;

namespace Kernels.Simd;

/// <summary>
/// A reduction <c>acc ← Accumulate(acc, x)</c> over one input, merged by the <see cref="ICombiner{T}"/> it extends.
/// Used by <see cref="AggregationDriver"/>; examples are a sum, a sum of squares and a maximum.
/// </summary>
/// <remarks>
/// <c>Accumulate(Identity, x)</c> must be the contribution of <c>x</c> alone. The driver fixes the order of every
/// operation, so results are bit-for-bit repeatable for a given input and vector width.
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IUnaryAccumulator<T> : ICombiner<T> where T : unmanaged
{
    /// <summary>Folds one element into a scalar accumulator.</summary>
    T Accumulate(T accumulator, T x);

    /// <summary>Folds each lane of <paramref name="x"/> into the matching lane of the accumulator.</summary>
    Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x);

    /// <inheritdoc cref="Accumulate(Vector128{T}, Vector128{T})"/>
    Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x);

    /// <inheritdoc cref="Accumulate(Vector128{T}, Vector128{T})"/>
    Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x);
}
