using Kernels.Activations;
using Kernels.Blas;

namespace Kernels.Training.Models;

/// <summary>
/// Finds every active set Q_i = { r : ⟨w_r, x_i⟩ ≥ b } by brute force: all m·n inner products, in blocks of neurons
/// through Gemm, each block scanned for values ≥ b. What dense Gauss-Newton pays every iteration, and how
/// <see cref="TwoLayerShiftedRelu.Predict"/> and <see cref="ShiftedReluJacobian"/> find their active sets.
/// </summary>
/// <remarks>
/// Gemm rather than the streaming <see cref="ThresholdProducts"/>: today Gemm plus a scan is the faster of the two on
/// this shape, and its values are the bits the forest caches (it builds its leaves with Gemm too), so the dense and
/// sublinear trainers see the same active sets.
/// </remarks>
internal sealed class DenseActiveSets
{
    private const int NeuronBlock = 8192;
    private readonly float[] _products;
    private readonly int[] _indices;
    private readonly int _block;

    /// <summary>The scratch this allocates: one block of products and its indices.</summary>
    public static long Bytes(int neurons, int points) => (long)Math.Min(NeuronBlock, neurons) * (points * sizeof(float) + sizeof(int));

    public DenseActiveSets(int neurons, int points)
    {
        _block = Math.Min(NeuronBlock, neurons);
        _products = new float[_block * points];
        _indices = new int[_block];
    }

    public void Refresh(ReadOnlyMatrixView<float> weights, ReadOnlyMatrixView<float> inputs, float shift, ActiveSets sets, BlasOptions? options)
    {
        int n = inputs.Rows;
        int m = weights.Rows;
        int d = weights.Columns;
        sets.Clear();
        for (int start = 0; start < m; start += _block)
        {
            int count = Math.Min(_block, m - start);
            var w = new ReadOnlyMatrixView<float>(weights.Data.Slice(start * weights.Stride, (count - 1) * weights.Stride + d), count, d, weights.Stride);
            var p = new MatrixView<float>(_products.AsSpan(0, n * count), n, count);
            Level3.Gemm(Transpose.None, Transpose.Transposed, 1f, inputs, w, 0f, p, options);
            for (int i = 0; i < n; i++)
            {
                var row = p.Row(i);
                int found = Threshold.CompressGreaterOrEqual<float>(row, shift, _indices);
                Append(sets, i, start, row, found);
            }
        }
    }

    /// <summary>Appends the <paramref name="found"/> matches of one block, at neuron offset <paramref name="start"/>, to row <paramref name="i"/>.</summary>
    private void Append(ActiveSets sets, int i, int start, ReadOnlySpan<float> row, int found)
    {
        int have = sets.Count(i);
        sets.Reserve(i, have + found);
        var indices = sets.WritableIndices(i);
        var values = sets.WritableValues(i);
        for (int k = 0; k < found; k++)
        {
            int r = _indices[k];
            indices[have + k] = start + r;
            values[have + k] = row[r];
        }
        sets.Commit(i, have + found);
    }
}
