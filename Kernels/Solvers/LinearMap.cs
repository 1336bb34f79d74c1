using System.Numerics;

namespace Kernels.Solvers;

/// <summary>
/// A product y ← A·x given as code, for <see cref="DelegateMap{T}"/> and <see cref="DelegateOperator{T}"/>. It must
/// overwrite all of y and must not modify x.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="x">The input vector; not to be modified.</param>
/// <param name="y">The output vector, of the length the product gives, not overlapping x.</param>
public delegate void LinearMap<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
