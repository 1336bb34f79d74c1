using Kernels.Blas;

namespace Kernels.Training.Data;

/// <summary>
/// A regression data set for the 2-layer shifted-ReLU net of seed 002: n data points x_i ∈ ℝ^d (the rows of
/// <see cref="Inputs"/>), each of unit Euclidean norm, and one real label y_i per point.
/// </summary>
/// <remarks>
/// The theory of seed 002 (and the threshold b = √(0.48·ln m)) assumes unit-norm inputs, so construction rejects
/// any row whose norm differs from 1 by more than <see cref="NormTolerance"/>; normalize first with
/// <see cref="RowNormalization.Normalize"/>. Inputs and labels are copied, so later changes to the caller's arrays
/// do not reach the set.
/// </remarks>
public sealed class RegressionSet
{
    /// <summary>How far a row's norm may stray from 1: 1e-4, well above float rounding of a normalized row.</summary>
    public const float NormTolerance = 1e-4f;

    private readonly float[] _inputs;
    private readonly float[] _labels;

    /// <summary>Copies and validates the inputs X (n × d, unit-norm rows) and the labels y (length n).</summary>
    /// <param name="inputs">The n × d inputs, n ≥ 1, d ≥ 1, every element finite, every row of unit norm.</param>
    /// <param name="labels">The n labels, finite.</param>
    /// <exception cref="ArgumentException">n or d is 0, the label count differs from n, a value is NaN or infinite,
    /// or a row is not unit-norm (the message names the row and <see cref="RowNormalization.Normalize"/>).</exception>
    public RegressionSet(ReadOnlyMatrixView<float> inputs, ReadOnlySpan<float> labels)
    {
        if (inputs.Rows < 1 || inputs.Columns < 1)
        {
            throw new ArgumentException($"inputs is {inputs.Rows}×{inputs.Columns}; a data set needs at least one row and one column.", nameof(inputs));
        }
        Guard.RequireLength(labels.Length, inputs.Rows, nameof(labels), "one label per row of inputs");
        Count = inputs.Rows;
        Dimension = inputs.Columns;
        _inputs = new float[Count * Dimension];
        for (int i = 0; i < Count; i++)
        {
            var row = inputs.Row(i);
            for (int k = 0; k < row.Length; k++)
            {
                if (!float.IsFinite(row[k]))
                {
                    throw new ArgumentException($"inputs[{i}, {k}] is {row[k]}; every input must be finite.", nameof(inputs));
                }
            }
            double norm = Math.Sqrt(RowNormalization.SquaredNorm(row));
            if (Math.Abs(norm - 1) > NormTolerance)
            {
                throw new ArgumentException(
                    $"Row {i} of inputs has norm {norm:G6}; the shifted-ReLU theory needs unit-norm rows (within {NormTolerance}). " +
                    $"Normalize them first with {nameof(RowNormalization)}.{nameof(RowNormalization.Normalize)}.", nameof(inputs));
            }
            row.CopyTo(_inputs.AsSpan(i * Dimension, Dimension));
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if (!float.IsFinite(labels[i]))
            {
                throw new ArgumentException($"labels[{i}] is {labels[i]}; every label must be finite.", nameof(labels));
            }
        }
        _labels = labels.ToArray();
    }

    /// <summary>Number of data points n.</summary>
    public int Count { get; }

    /// <summary>Input dimension d.</summary>
    public int Dimension { get; }

    /// <summary>The inputs X (n × d), unit-norm rows.</summary>
    public ReadOnlyMatrixView<float> Inputs => new(_inputs, Count, Dimension);

    /// <summary>The labels y (length n).</summary>
    public ReadOnlySpan<float> Labels => _labels;
}
