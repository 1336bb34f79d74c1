using Kernels.Blas;
using Kernels.Training.Data;

namespace Kernels.Training.Models;

/// <summary>
/// The Jacobian J (n × m·d) of a <see cref="TwoLayerShiftedRelu"/>'s outputs on n points with respect to W,
/// taken at the weights it was created with and never materialized: row i is (1/√m)·[a_r·x_i·1(r ∈ Q_i)] over the
/// neurons r, so J·v and Jᵀ·u cost O(Σ_i |Q_i|·d).
/// </summary>
/// <remarks>
/// A vector of length m·d is read as an m × d matrix, row r belonging to neuron r (the layout of W).
/// Gauss-Newton's G = J·Jᵀ has G_ij = (1/m)·⟨x_i, x_j⟩·|Q_i ∩ Q_j|.
/// </remarks>
public sealed class ShiftedReluJacobian
{
    private readonly int[][] _active;
    private readonly float[] _signs;
    private readonly RegressionSet _data;

    /// <summary>The Jacobian of <paramref name="model"/> on the inputs of <paramref name="data"/> at the model's current W.</summary>
    /// <exception cref="ArgumentException">The data's dimension differs from the model's.</exception>
    public ShiftedReluJacobian(TwoLayerShiftedRelu model, RegressionSet data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Dimension != model.Dimension)
        {
            throw new ArgumentException($"data has {data.Dimension} columns; expected the model's d = {model.Dimension}.", nameof(data));
        }
        Width = model.Width;
        _data = data;
        _signs = model.Signs.ToArray();
        OutputScale = model.OutputScale;
        _active = new int[data.Count][];
        for (int i = 0; i < data.Count; i++)
        {
            var x = data.Inputs.Row(i);
            var active = new List<int>();
            for (int r = 0; r < Width; r++)
            {
                if (Level1.Dot(model.Weights.Row(r), x) >= model.Shift)
                {
                    active.Add(r);
                }
            }
            _active[i] = [.. active];
        }
    }

    /// <summary>n, the rows of J.</summary>
    public int Rows => _data.Count;

    /// <summary>m·d, the columns of J.</summary>
    public long Columns => (long)Width * _data.Dimension;

    /// <summary>m, the model's width.</summary>
    public int Width { get; }

    /// <summary>1/√m.</summary>
    public double OutputScale { get; }

    /// <summary>The active set Q_i = { r : ⟨w_r, x_i⟩ ≥ b }, ascending.</summary>
    public ReadOnlySpan<int> ActiveSet(int i) => _active[i];

    /// <summary>result = J·v: result_i = (1/√m)·Σ_{r∈Q_i} a_r·⟨v_r, x_i⟩.</summary>
    /// <exception cref="ArgumentException"><paramref name="v"/> is not of length m·d or <paramref name="result"/> not of length n.</exception>
    public void Apply(ReadOnlySpan<float> v, Span<float> result)
    {
        RequireLengths(v.Length, nameof(v), result.Length, nameof(result), Columns, Rows);
        int d = _data.Dimension;
        for (int i = 0; i < Rows; i++)
        {
            var x = _data.Inputs.Row(i);
            double sum = 0;
            foreach (int r in _active[i])
            {
                sum += _signs[r] * (double)Level1.Dot(v.Slice(r * d, d), x);
            }
            result[i] = (float)(sum * OutputScale);
        }
    }

    /// <summary>result = Jᵀ·u: row r of result is (1/√m)·a_r·Σ_{i: r∈Q_i} u_i·x_i (zero for a neuron no point activates).</summary>
    /// <exception cref="ArgumentException"><paramref name="u"/> is not of length n or <paramref name="result"/> not of length m·d.</exception>
    public void ApplyTranspose(ReadOnlySpan<float> u, Span<float> result)
    {
        RequireLengths(u.Length, nameof(u), result.Length, nameof(result), Rows, Columns);
        int d = _data.Dimension;
        result.Clear();
        for (int i = 0; i < Rows; i++)
        {
            var x = _data.Inputs.Row(i);
            foreach (int r in _active[i])
            {
                Level1.Axpy((float)(_signs[r] * OutputScale * u[i]), x, result.Slice(r * d, d));
            }
        }
    }

    private static void RequireLengths(int input, string inputName, int output, string outputName, long inputLength, long outputLength)
    {
        if (input != inputLength)
        {
            throw new ArgumentException($"{inputName} has length {input}; expected {inputLength}.", inputName);
        }
        if (output != outputLength)
        {
            throw new ArgumentException($"{outputName} has length {output}; expected {outputLength}.", outputName);
        }
    }
}
