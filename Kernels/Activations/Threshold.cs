using System.Numerics;
using Kernels.Simd;

namespace Kernels.Activations;

/// <summary>
/// Threshold selection on spans: <see cref="CountGreaterOrEqual{T}"/> and <see cref="CompressGreaterOrEqual{T}"/>,
/// which lists the positions i with values[i] ≥ threshold, for example the active neurons of a layer.
/// </summary>
/// <remarks>
/// <para>Comparisons are IEEE: a NaN value is never ≥ anything, so it is never counted or reported; −0 and +0
/// compare equal. A NaN threshold is rejected, since no value could ever match it; infinite thresholds are allowed.</para>
/// <para>One pass of the mask-scan driver (<see cref="MaskScan"/>) with <see cref="GreaterOrEqualPredicate{T}"/>:
/// a vectorized compare and <c>ExtractMostSignificantBits</c>, then bit iteration over the (usually few) matches.</para>
/// </remarks>
public static class Threshold
{
    /// <summary>Returns the number of elements of <paramref name="values"/> that are ≥ <paramref name="threshold"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is NaN.</exception>
    public static int CountGreaterOrEqual<T>(ReadOnlySpan<T> values, T threshold) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        return MaskScan.Run(values, new GreaterOrEqualPredicate<T>(threshold), default(CountOnly));
    }

    /// <summary>
    /// Writes <c>indexOffset + i</c> for every i with values[i] ≥ threshold, in ascending order, to the start of
    /// <paramref name="indices"/>, and returns how many it wrote. Elements of <paramref name="indices"/> past that
    /// count are left as they were.
    /// </summary>
    /// <remarks>
    /// <para><paramref name="indexOffset"/> serves callers that process a long array in chunks: pass the chunk's start
    /// to get positions in the whole array.</para>
    /// <para>If <paramref name="indices"/> is shorter than <paramref name="values"/>, the matches are counted first
    /// (one extra vectorized pass), and a result that would not fit throws before anything is written. Passing
    /// <c>indices.Length ≥ values.Length</c> avoids that pass.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is NaN, or <paramref name="indexOffset"/>
    /// is negative or so large that <c>indexOffset + values.Length − 1</c> overflows an int.</exception>
    /// <exception cref="ArgumentException"><paramref name="indices"/> cannot hold every match.</exception>
    public static int CompressGreaterOrEqual<T>(ReadOnlySpan<T> values, T threshold, Span<int> indices, int indexOffset = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        var atLeastThreshold = new GreaterOrEqualPredicate<T>(threshold);
        if (indexOffset < 0 || (long)indexOffset + values.Length - 1 > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(indexOffset), indexOffset,
                $"indexOffset must be ≥ 0 and leave indexOffset + {values.Length} − 1 within int range.");
        }
        if (indices.Length < values.Length)
        {
            int required = MaskScan.Run(values, atLeastThreshold, default(CountOnly));
            if (required > indices.Length)
            {
                throw new ArgumentException(
                    $"indices has length {indices.Length}, but {required} values are ≥ {threshold}; nothing was written.", nameof(indices));
            }
        }
        return MaskScan.Run(values, atLeastThreshold, new IndexWriter(indices, indexOffset));
    }
}
