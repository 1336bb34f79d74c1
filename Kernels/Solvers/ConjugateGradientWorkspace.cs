using System.Numerics;
using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>
/// The four work vectors of <see cref="ConjugateGradient"/> (residual, preconditioned residual, direction, operator
/// times direction). Passing one to every solve makes repeated solves allocation-free. Not safe for concurrent solves.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class ConjugateGradientWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Allocates the vectors for systems of <paramref name="dimension"/> unknowns.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is negative.</exception>
    public ConjugateGradientWorkspace(int dimension)
    {
        ElementType.Require<T>();
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        Residual = new T[dimension];
        Preconditioned = new T[dimension];
        Direction = new T[dimension];
        Product = new T[dimension];
    }

    /// <summary>n, the number of unknowns the workspace serves.</summary>
    public int Dimension => Residual.Length;

    internal T[] Residual { get; }

    internal T[] Preconditioned { get; }

    internal T[] Direction { get; }

    internal T[] Product { get; }
}
