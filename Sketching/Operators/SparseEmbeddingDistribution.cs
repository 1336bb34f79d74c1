using System.Numerics;

namespace Kernels.Sketching.Operators;

/// <summary>
/// OSNAP sparse embeddings (Nelson and Nguyen; Definition B.5), block construction: the s rows are cut into
/// <see cref="NonzerosPerColumn"/> = t consecutive blocks of ⌊s/t⌋ or ⌈s/t⌉ rows (block b is rows
/// ⌊b·s/t⌋ … ⌊(b+1)·s/t⌋ − 1), and column j has exactly one nonzero ±1/√t in each block. t = 1 is CountSketch.
/// </summary>
public record SparseEmbeddingDistribution : SketchDistribution
{
    /// <summary>The distribution of s × N OSNAP matrices with t nonzeros per column.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or <paramref name="nonzerosPerColumn"/> exceeds <paramref name="rows"/>.</exception>
    public SparseEmbeddingDistribution(int rows, int columns, int nonzerosPerColumn) : base(rows, columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nonzerosPerColumn, 1);
        if (nonzerosPerColumn > rows)
        {
            throw new ArgumentOutOfRangeException(nameof(nonzerosPerColumn), nonzerosPerColumn,
                $"nonzerosPerColumn must not exceed the {rows} rows: each column has one nonzero per block of rows.");
        }
        NonzerosPerColumn = nonzerosPerColumn;
    }

    /// <summary>t: the nonzeros of every column, one per block of rows.</summary>
    public int NonzerosPerColumn { get; }

    /// <inheritdoc/>
    public override SparseEmbedding<T> Sample<T>(ulong seed) => new(this, seed);
}
