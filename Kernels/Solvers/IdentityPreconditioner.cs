using System.Numerics;
using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>M = I: z is a copy of r. Equivalent to passing no preconditioner to <see cref="ConjugateGradient"/>, which skips the copy.</summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class IdentityPreconditioner<T> : IPreconditioner<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The identity on vectors of <paramref name="dimension"/> elements.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is negative.</exception>
    public IdentityPreconditioner(int dimension)
    {
        ElementType.Require<T>();
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        Dimension = dimension;
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public void Apply(ReadOnlySpan<T> r, Span<T> z)
    {
        OperatorGuard.RequireVectors(Dimension, r, nameof(r), z, nameof(z));
        r.CopyTo(z);
    }
}
