namespace Kernels.Trees;

/// <summary>
/// Computes new rows of a forest's W in place, for <see cref="ThresholdForest.Rewrite{TRewriter}"/>: the forest hands
/// it each listed row while that row is in cache, then computes the row's leaves from what it wrote, so the rows are
/// read from memory once instead of twice (once to rewrite them, once to refresh their leaves).
/// </summary>
/// <remarks>
/// <see cref="Rewrite"/> is called once per listed neuron (unless a batch before it failed the forest's check of
/// rewritten rows), from any of the forest's threads and in any order, concurrently for different rows: it must write
/// only the row it is given and read nothing another call writes. Like a part of <see cref="ParallelParts"/>, it runs on
/// worker threads and must not throw (an exception on a worker ends the process) nor start parallel work of its own.
/// </remarks>
public interface IRowRewriter
{
    /// <summary>
    /// Overwrites <paramref name="row"/>, row <paramref name="neuron"/> of W (its d floats), with that neuron's new row.
    /// </summary>
    /// <param name="position">The neuron's position in the list handed to <see cref="ThresholdForest.Rewrite{TRewriter}"/>.</param>
    /// <param name="neuron">The neuron, the index of the row in W.</param>
    /// <param name="row">The row, read and written in place.</param>
    void Rewrite(int position, int neuron, Span<float> row);
}
