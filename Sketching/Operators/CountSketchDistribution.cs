using System.Numerics;

namespace Kernels.Sketching.Operators;

/// <summary>
/// CountSketch (Charikar, Chen and Farach-Colton; Clarkson and Woodruff): column j of S has one nonzero σ(j) = ±1 in
/// row h(j). Theorem B.3 of the paper needs h 2-wise and σ 4-wise independent. It is the
/// <see cref="SparseEmbeddingDistribution"/> with one nonzero per column.
/// </summary>
public sealed record CountSketchDistribution : SparseEmbeddingDistribution
{
    /// <summary>The distribution of s × N CountSketch matrices.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> or <paramref name="columns"/> is below 1.</exception>
    public CountSketchDistribution(int rows, int columns) : base(rows, columns, 1)
    {
    }

    /// <inheritdoc/>
    public override CountSketch<T> Sample<T>(ulong seed) => new(this, seed);
}
