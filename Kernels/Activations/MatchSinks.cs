using System.Numerics;

namespace Kernels.Activations;

/// <summary>What <see cref="ThresholdScan"/> does with each group of matching lanes, beyond counting them.</summary>
internal interface IMatchSink
{
    /// <summary>
    /// Receives the matches among elements <c>start, start + 1, …</c>: bit j of <paramref name="lanes"/> is set when
    /// element <c>start + j</c> matched. <paramref name="position"/> is the number of matches before this group.
    /// </summary>
    void Accept(int position, nuint start, ulong lanes);
}

/// <summary>Ignores the matches: the scan only counts them.</summary>
internal readonly struct CountOnly : IMatchSink
{
    public void Accept(int position, nuint start, ulong lanes)
    {
    }
}

/// <summary>Writes the index of each match, plus an offset, to consecutive elements of a destination.</summary>
internal readonly ref struct IndexWriter : IMatchSink
{
    private readonly Span<int> _destination;
    private readonly int _indexOffset;

    /// <summary>The caller guarantees that the destination holds every match and that the offset indices fit in an int.</summary>
    public IndexWriter(Span<int> destination, int indexOffset)
    {
        _destination = destination;
        _indexOffset = indexOffset;
    }

    public void Accept(int position, nuint start, ulong lanes)
    {
        int first = _indexOffset + (int)start;
        // Clearing the lowest set bit each round visits the matches in ascending order.
        while (lanes != 0)
        {
            _destination[position++] = first + BitOperations.TrailingZeroCount(lanes);
            lanes &= lanes - 1;
        }
    }
}
