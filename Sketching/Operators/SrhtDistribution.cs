using System.Numerics;

namespace Kernels.Sketching.Operators;

/// <summary>
/// Subsampled randomized Hadamard transforms: S = √(1/s)·P·H·D, with D random signs on the N inputs, H the ±1
/// Walsh–Hadamard matrix of order N' (N rounded up to a power of two; the input is zero-padded to N'), and P a
/// uniformly random choice of s distinct rows of H. HD/√N' is orthogonal and P keeps s of N' coordinates, so
/// E‖Sx‖² = (N'/s)·(s/N')·‖x‖² = ‖x‖².
/// </summary>
public sealed record SrhtDistribution : SketchDistribution
{
    /// <summary>The largest input dimension: 2³⁰, so that the padded length is an <see cref="int"/>.</summary>
    public const int MaxColumns = 1 << 30;

    /// <summary>The distribution of s × N SRHT matrices.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, <paramref name="columns"/> exceeds <see cref="MaxColumns"/>, or
    /// <paramref name="rows"/> exceeds the padded length N' (rows are sampled without replacement).</exception>
    public SrhtDistribution(int rows, int columns) : base(rows, columns)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, MaxColumns);
        PaddedColumns = (int)BitOperations.RoundUpToPowerOf2((uint)columns);
        if (rows > PaddedColumns)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows,
                $"rows must not exceed the padded length {PaddedColumns}: the s rows are distinct rows of the Hadamard matrix.");
        }
    }

    /// <summary>N': the input length rounded up to a power of two, the order of the Hadamard transform.</summary>
    public int PaddedColumns { get; }

    /// <inheritdoc/>
    public override Srht<T> Sample<T>(ulong seed) => new(this, seed);
}
