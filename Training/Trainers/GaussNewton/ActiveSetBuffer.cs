namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// Per data point i, the active set Q_i (ascending neuron indices) and the inner products ⟨w_r, x_i⟩ of its
/// neurons. Rows are independent and grow only when a set outgrows every earlier one, so refilling allocates
/// nothing after warm-up.
/// </summary>
internal sealed class ActiveSetBuffer
{
    private readonly int[][] _indices;
    private readonly float[][] _values;
    private readonly int[] _counts;

    public ActiveSetBuffer(int rows)
    {
        _indices = new int[rows][];
        _values = new float[rows][];
        _counts = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            _indices[i] = [];
            _values[i] = [];
        }
    }

    public int Rows => _counts.Length;

    public int Count(int row) => _counts[row];

    public ReadOnlySpan<int> Indices(int row) => _indices[row].AsSpan(0, _counts[row]);

    public ReadOnlySpan<float> Values(int row) => _values[row].AsSpan(0, _counts[row]);

    /// <summary>Empties row <paramref name="row"/>.</summary>
    public void Clear(int row) => _counts[row] = 0;

    /// <summary>
    /// Appends <paramref name="extra"/> entries to row <paramref name="row"/> (keeping the ones it has) and returns
    /// them for the caller to fill.
    /// </summary>
    public void Extend(int row, int extra, out Span<int> indices, out Span<float> values)
    {
        int have = _counts[row];
        int needed = have + extra;
        if (_indices[row].Length < needed)
        {
            int grown = Math.Max(needed, _indices[row].Length + _indices[row].Length / 2);
            Array.Resize(ref _indices[row], grown);
            Array.Resize(ref _values[row], grown);
        }
        _counts[row] = needed;
        indices = _indices[row].AsSpan(have, extra);
        values = _values[row].AsSpan(have, extra);
    }
}
