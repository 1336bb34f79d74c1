namespace Kernels.Simd;

/// <summary>
/// What a mask scan (<see cref="MaskScan"/>: a compare of a vector of elements, turned into a bitmask) does with each
/// group of matching lanes, beyond counting them: the threshold kernels and the trees' node searches pass one of these
/// to the scan.
/// </summary>
public interface IMatchSink
{
    /// <summary>
    /// Receives the matches among elements <c>start, start + 1, …</c>: bit j of <paramref name="lanes"/> is set when
    /// element <c>start + j</c> matched. <paramref name="position"/> is the number of matches before this group.
    /// </summary>
    void Accept(int position, nuint start, ulong lanes);
}

/// <summary>Ignores the matches: the scan only counts them.</summary>
public readonly struct CountOnly : IMatchSink
{
    /// <inheritdoc/>
    public void Accept(int position, nuint start, ulong lanes)
    {
    }
}

/// <summary>Writes the index of each match, plus an offset, to consecutive elements of a destination.</summary>
public readonly ref struct IndexWriter : IMatchSink
{
    private readonly Span<int> _destination;
    private readonly int _indexOffset;

    /// <summary>
    /// A writer that stores match k at <c>destination[k]</c> as <paramref name="indexOffset"/> plus the element's position
    /// in the scanned span. Size the destination with a counting scan first: a match past its end throws
    /// <see cref="IndexOutOfRangeException"/>, after the earlier matches were written.
    /// </summary>
    /// <param name="destination">Receives the indices in ascending order.</param>
    /// <param name="indexOffset">Added to every position, e.g. the index of the scanned span's first element in a larger array.</param>
    public IndexWriter(Span<int> destination, int indexOffset)
    {
        _destination = destination;
        _indexOffset = indexOffset;
    }

    /// <inheritdoc/>
    public void Accept(int position, nuint start, ulong lanes)
    {
        int first = _indexOffset + (int)start;
        foreach (int lane in new SetBits(lanes))
        {
            _destination[position++] = first + lane;
        }
    }
}
