using Kernels.Activations;
using Kernels.Blas;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// Finds every active set by brute force: all m·n inner products ⟨w_r, x_i⟩, in blocks of neurons through Gemm, each
/// block scanned for values ≥ b. What dense Gauss-Newton pays every iteration.
/// </summary>
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

    public void Refresh(ReadOnlyMatrixView<float> weights, ReadOnlyMatrixView<float> inputs, float shift, ActiveSetBuffer sets, BlasOptions? options)
    {
        int n = inputs.Rows;
        int m = weights.Rows;
        int d = weights.Columns;
        for (int i = 0; i < n; i++)
        {
            sets.Clear(i);
        }
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

    private void Append(ActiveSetBuffer sets, int i, int start, ReadOnlySpan<float> row, int found)
    {
        sets.Extend(i, found, out var indices, out var values);
        for (int k = 0; k < found; k++)
        {
            int r = _indices[k];
            indices[k] = start + r;
            values[k] = row[r];
        }
    }
}
