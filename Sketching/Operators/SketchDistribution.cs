using System.Numerics;

namespace Kernels.Sketching.Operators;

/// <summary>
/// A distribution over s × N sketching matrices: the shape and the parameters, with no randomness in it
/// (RandBLAS's distinction). <see cref="Sample{T}"/> draws one operator from it; the seed alone decides which.
/// </summary>
public abstract record SketchDistribution
{
    private protected SketchDistribution(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        Rows = rows;
        Columns = columns;
    }

    /// <summary>s: the sketch dimension, at least 1.</summary>
    public int Rows { get; }

    /// <summary>N: the input dimension, at least 1.</summary>
    public int Columns { get; }

    /// <summary>Draws the operator of <paramref name="seed"/>; every 64-bit seed is valid, and equal seeds give equal operators.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public abstract ISketch<T> Sample<T>(ulong seed) where T : unmanaged, IFloatingPointIeee754<T>;
}
