using System.Numerics;

namespace Kernels.Solvers;

/// <summary>The action y ← A·x of an operator given as code, for <see cref="DelegateOperator{T}"/>. It must overwrite all of y.</summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <param name="x">The input vector; not to be modified.</param>
/// <param name="y">The output vector, of the same length, not overlapping x.</param>
public delegate void LinearMap<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
