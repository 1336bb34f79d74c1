using System.Buffers;

namespace Kernels.Trees;

/// <summary>
/// Puts the updates of a batch in ascending neuron order, so that each tree's leaves are written front to back
/// and the repair plan can be built from one sorted pass. The sort is stable: updates of the same neuron keep
/// their input order, so the last one is written last and wins, as if the updates had been applied one by one.
/// </summary>
/// <remarks>
/// Two stable counting passes (least-significant digit first: the neuron's position within its 16-leaf line, then
/// the line), so the cost is O(U + m/16) for any input, duplicates included.
/// </remarks>
internal static class NeuronOrder
{
    private const int LowBits = 4;
    private const int LowRadix = 1 << LowBits;

    /// <summary>
    /// Writes to <paramref name="order"/> the positions 0 … U − 1 of <paramref name="neurons"/> sorted by neuron
    /// (stable), and to the start of <paramref name="distinct"/> the distinct neurons in ascending order; returns
    /// how many distinct neurons there are. Every neuron lies in [0, <paramref name="neuronCount"/>);
    /// <paramref name="scratch"/> has room for U positions.
    /// </summary>
    public static int Sort(ReadOnlySpan<int> neurons, int neuronCount, Span<int> order, Span<int> distinct, Span<int> scratch)
    {
        int lines = (neuronCount + LowRadix - 1) >> LowBits;
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
        for (int u = 0; u < neurons.Length; u++)
        {
            scratch[lowStarts[neurons[u] & (LowRadix - 1)]++] = u;
        }

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
            foreach (int u in scratch[..neurons.Length])
            {
                order[lineStarts[neurons[u] >> LowBits]++] = u;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }

        int count = 0;
        foreach (int u in order[..neurons.Length])
        {
            if (count == 0 || distinct[count - 1] != neurons[u])
            {
                distinct[count++] = neurons[u];
            }
        }
        return count;
    }
}
