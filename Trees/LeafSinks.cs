using System.Numerics;
using Kernels.Activations;
using Kernels.Simd;

namespace Kernels.Trees;

/// <summary>
/// Writes each matching leaf's index, and its value when a value span is given, to consecutive elements of the
/// destinations. The caller guarantees the room.
/// </summary>
internal readonly ref struct LeafWriter : IMatchSink
{
    private readonly ReadOnlySpan<float> _leaves;
    private readonly Span<int> _indices;
    private readonly Span<float> _values;

    /// <summary>A writer of the matches among <paramref name="leaves"/> (the m leaf slots of a tree); an empty
    /// <paramref name="values"/> writes indices only.</summary>
    public LeafWriter(ReadOnlySpan<float> leaves, Span<int> indices, Span<float> values)
    {
        _leaves = leaves;
        _indices = indices;
        _values = values;
    }

    public void Accept(int position, nuint start, ulong lanes)
    {
        int first = (int)start;
        bool withValues = !_values.IsEmpty;
        foreach (int lane in new SetBits(lanes))
        {
            int leaf = first + lane;
            _indices[position] = leaf;
            if (withValues)
            {
                _values[position] = _leaves[leaf];
            }
            position++;
        }
    }
}

/// <summary>
/// Writes each matching leaf's index and value to one row of an <see cref="ActiveSets"/>, growing the row when it
/// runs out of room (the count is not known before the search ends). The caller commits the final count.
/// </summary>
internal readonly ref struct ActiveRowWriter : IMatchSink
{
    private readonly ReadOnlySpan<float> _leaves;
    private readonly ActiveSets _destination;
    private readonly int _row;

    /// <summary>A writer of the matches among <paramref name="leaves"/> to row <paramref name="row"/> of <paramref name="destination"/>.</summary>
    public ActiveRowWriter(ReadOnlySpan<float> leaves, ActiveSets destination, int row)
    {
        _leaves = leaves;
        _destination = destination;
        _row = row;
    }

    public void Accept(int position, nuint start, ulong lanes)
    {
        if (lanes == 0)
        {
            return;
        }
        int needed = position + BitOperations.PopCount(lanes);
        if (needed > _destination.Capacity(_row))
        {
            _destination.Reserve(_row, needed);
        }
        // Re-read after a possible growth: the row's buffers may have been replaced.
        Span<int> indices = _destination.WritableIndices(_row);
        Span<float> values = _destination.WritableValues(_row);
        int first = (int)start;
        foreach (int lane in new SetBits(lanes))
        {
            int leaf = first + lane;
            indices[position] = leaf;
            values[position] = _leaves[leaf];
            position++;
        }
    }
}
