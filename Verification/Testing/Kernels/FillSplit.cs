namespace Kernels.Testing;

/// <summary>
/// A generated way of producing values <c>Start … Start + Length − 1</c> of a counter-based sequence piece by piece:
/// the generator's (seed, stream), the range, and the cut points (offsets in [0, Length], in any order, possibly
/// repeated or at the ends, which gives empty pieces).
/// </summary>
public sealed record FillSplit(ulong Seed, ulong Stream, long Start, int Length, int[] Cuts)
{
    /// <summary>The pieces as (offset, length) pairs that tile [0, Length) in order.</summary>
    public IEnumerable<(int Offset, int Length)> Pieces()
    {
        int previous = 0;
        foreach (int cut in Cuts.Append(Length).Order())
        {
            yield return (previous, cut - previous);
            previous = cut;
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"FillSplit(seed=0x{Seed:X}, stream=0x{Stream:X}, start={Start}, n={Length}, cuts=[{string.Join(", ", Cuts)}])";
}
