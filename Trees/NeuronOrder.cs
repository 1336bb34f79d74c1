using System.Buffers;

namespace Kernels.Trees;

/// <summary>
/// Reduces a batch of updates to its effect: the distinct neurons in ascending order, each with the position of
/// its last update in the batch (which wins, as if the updates had been applied one by one). Ascending order lets
/// every tree write its leaves front to back and the repair plan be built in one pass.
/// </summary>
/// <remarks>
/// A batch that is already strictly ascending (as a trainer's changed neurons are) is taken as it is, in O(U).
/// Otherwise a stable sort by two counting passes (least-significant digit first: the neuron's position within its
/// 16-leaf line, then the line), so the cost is O(U + m/16) for any input, repeats included.
/// </remarks>
internal static class NeuronOrder
{
    private const int LowBits = 4;
    private const int LowRadix = 1 << LowBits;

    /// <summary>
    /// Writes the distinct neurons of <paramref name="neurons"/> in ascending order to <paramref name="distinct"/> and,
    /// for each, the position in <paramref name="neurons"/> of its last occurrence to <paramref name="sources"/>;
    /// returns how many distinct neurons there are. Every neuron lies in [0, <paramref name="neuronCount"/>);
    /// <paramref name="scratch"/> has room for 2·U positions.
    /// </summary>
    public static int Sort(ReadOnlySpan<int> neurons, int neuronCount, Span<int> distinct, Span<int> sources, Span<int> scratch)
    {
        int updates = neurons.Length;
        if (IsAscending(neurons))
        {
            // A trainer's changed neurons come ascending and distinct already: each is its own last update.
            neurons.CopyTo(distinct);
            for (int u = 0; u < updates; u++)
            {
                sources[u] = u;
            }
            return updates;
        }
        Span<int> byLow = scratch[..updates];
        Span<int> order = scratch.Slice(updates, updates);

        Span<int> lowStarts = stackalloc int[LowRadix + 1];
        lowStarts.Clear();
        foreach (int j in neurons)
        {
            lowStarts[(j & (LowRadix - 1)) + 1]++;
        }
        for (int b = 0; b < LowRadix; b++)
        {
            lowStarts[b + 1] += lowStarts[b];
        }
        for (int u = 0; u < updates; u++)
        {
            byLow[lowStarts[neurons[u] & (LowRadix - 1)]++] = u;
        }

        int lines = (neuronCount + LowRadix - 1) >> LowBits;
        int[] rented = ArrayPool<int>.Shared.Rent(lines + 1);
        try
        {
            Span<int> lineStarts = rented.AsSpan(0, lines + 1);
            lineStarts.Clear();
            foreach (int j in neurons)
            {
                lineStarts[(j >> LowBits) + 1]++;
            }
            for (int b = 0; b < lines; b++)
            {
                lineStarts[b + 1] += lineStarts[b];
            }
            foreach (int u in byLow)
            {
                order[lineStarts[neurons[u] >> LowBits]++] = u;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }

        // Repeats of a neuron are adjacent and in input order, so the last of each run is the one that counts.
        int count = 0;
        foreach (int u in order)
        {
            if (count > 0 && distinct[count - 1] == neurons[u])
            {
                sources[count - 1] = u;
            }
            else
            {
                distinct[count] = neurons[u];
                sources[count++] = u;
            }
        }
        return count;
    }

    /// <summary>Whether every neuron is larger than the one before it (so the batch is its own sorted, distinct form).</summary>
    private static bool IsAscending(ReadOnlySpan<int> neurons)
    {
        for (int u = 1; u < neurons.Length; u++)
        {
            if (neurons[u] <= neurons[u - 1])
            {
                return false;
            }
        }
        return true;
    }
}
