using Kernels.Activations;
using Kernels.Blas;
using Kernels.Solvers;
using Kernels.Training.Data;

namespace Kernels.Training.Models;

/// <summary>
/// The Jacobian J (n × m·d) of a <see cref="TwoLayerShiftedRelu"/>'s outputs on n points with respect to W,
/// taken at the weights it was created with and never materialized, as an <see cref="ILinearMap{T}"/> (so sketches,
/// Gram operators and solvers take it as it is): row i is (1/√m)·[a_r·x_i·1(r ∈ Q_i)] over the
/// neurons r, so J·v and Jᵀ·u cost O(Σ_i |Q_i|·d).
/// </summary>
/// <remarks>
/// A vector of length m·d is read as an m × d matrix, row r belonging to neuron r (the layout of W).
/// Gauss-Newton's G = J·Jᵀ has G_ij = (1/m)·⟨x_i, x_j⟩·|Q_i ∩ Q_j|.
/// </remarks>
public sealed class ShiftedReluJacobian : LinearMapBase<float>
{
    private readonly ActiveSets _active;
    private readonly float[] _signs;
    private readonly RegressionSet _data;

    /// <summary>The Jacobian of <paramref name="model"/> on the inputs of <paramref name="data"/> at the model's current W.</summary>
    /// <exception cref="ArgumentException">The data's dimension differs from the model's.</exception>
    public ShiftedReluJacobian(TwoLayerShiftedRelu model, RegressionSet data)
        : base(Checked(model, data).Count, checked(model.Width * data.Dimension))
    {
        if (data.Dimension != model.Dimension)
        {
            throw new ArgumentException($"data has {data.Dimension} columns; expected the model's d = {model.Dimension}.", nameof(data));
        }
        Width = model.Width;
        _data = data;
        _signs = model.Signs.ToArray();
        OutputScale = model.OutputScale;
        _active = model.ActiveSetsOf(data.Inputs, options: null);
    }

    private static RegressionSet Checked(TwoLayerShiftedRelu model, RegressionSet data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        return data;
    }

    /// <summary>m, the model's width.</summary>
    public int Width { get; }

    /// <summary>1/√m.</summary>
    public double OutputScale { get; }

    /// <summary>The active set Q_i = { r : ⟨w_r, x_i⟩ ≥ b }, ascending.</summary>
    public ReadOnlySpan<int> ActiveSet(int i) => _active.Indices(i);

    /// <summary>y ← Jᵀ·x (α = 1, β = 0).</summary>
    /// <exception cref="ArgumentException">A length does not match, or y overlaps x.</exception>
    public void ApplyTranspose(ReadOnlySpan<float> x, Span<float> y) => ApplyTranspose(1f, x, 0f, y);

    /// <summary>
    /// J·x: (J·x)_i = (1/√m)·Σ_{r∈Q_i} a_r·⟨x_r, x_i⟩; Jᵀ·x: row r is (1/√m)·a_r·Σ_{i: r∈Q_i} x_i·(data point i)
    /// (zero for a neuron no point activates). Both scaled by α and added to β·y.
    /// </summary>
    protected override void ApplyVector(Transpose transpose, float alpha, ReadOnlySpan<float> x, float beta, Span<float> y)
    {
        int d = _data.Dimension;
        if (transpose == Transpose.None)
        {
            for (int i = 0; i < Rows; i++)
            {
                var point = _data.Inputs.Row(i);
                double sum = 0;
                foreach (int r in _active.Indices(i))
                {
                    sum += _signs[r] * (double)Level1.Dot(x.Slice(r * d, d), point);
                }
                float product = (float)(alpha * sum * OutputScale);
                y[i] = beta == 0 ? product : product + beta * y[i];
            }
            return;
        }
        if (beta == 0)
        {
            y.Clear();
        }
        else
        {
            Level1.Scale(beta, y);
        }
        for (int i = 0; i < Rows; i++)
        {
            var point = _data.Inputs.Row(i);
            foreach (int r in _active.Indices(i))
            {
                Level1.Axpy((float)(alpha * _signs[r] * OutputScale * x[i]), point, y.Slice(r * d, d));
            }
        }
    }
}
