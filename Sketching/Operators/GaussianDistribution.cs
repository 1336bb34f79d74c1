using System.Numerics;

namespace Kernels.Sketching.Operators;

/// <summary>Dense Gaussian sketches: every entry independent N(0, 1/s), so that E‖Sx‖² = ‖x‖².</summary>
public sealed record GaussianDistribution : SketchDistribution
{
    /// <summary>The distribution of s × N Gaussian matrices.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> or <paramref name="columns"/> is below 1.</exception>
    public GaussianDistribution(int rows, int columns) : base(rows, columns)
    {
    }

    /// <inheritdoc/>
    public override GaussianSketch<T> Sample<T>(ulong seed) => new(this, seed);
}
