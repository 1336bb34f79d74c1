namespace Kernels.Training.Data;

/// <summary>
/// A classification data set: n inputs x_i ∈ [0, 1]^d (the rows of <see cref="Inputs"/>, e.g. 784 pixels of a 28 × 28
/// image scaled from 0…255) and one class label y_i ∈ {0, …, <see cref="ClassCount"/> − 1} per input.
/// </summary>
/// <remarks>
/// Construction copies and validates everything, so later changes to the caller's arrays do not reach the set, and a
/// model can rely on finite inputs in [0, 1] and labels in range without checking again.
/// </remarks>
public sealed class ClassificationSet
{
    private readonly float[] _inputs;
    private readonly int[] _labels;

    /// <summary>Copies and validates the inputs X (n × d) and the labels y (length n).</summary>
    /// <param name="inputs">The n × d inputs, n ≥ 1, d ≥ 1, every element finite and in [0, 1].</param>
    /// <param name="labels">The n labels, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">The number of classes, at least 2.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is below 2.</exception>
    /// <exception cref="ArgumentException">n or d is 0, the label count differs from n, an input is not finite or
    /// outside [0, 1], or a label is out of range; the message names the offending row.</exception>
    public ClassificationSet(ReadOnlyMatrixView<float> inputs, ReadOnlySpan<int> labels, int classCount)
        : this(Copy(inputs), inputs.Rows, inputs.Columns, labels.ToArray(), classCount)
    {
    }

    /// <summary>Takes ownership of row-major <paramref name="inputs"/> and <paramref name="labels"/> after validating them.</summary>
    private ClassificationSet(float[] inputs, int rows, int columns, int[] labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        if (rows < 1 || columns < 1)
        {
            throw new ArgumentException($"inputs is {rows}×{columns}; a data set needs at least one row and one column.", nameof(inputs));
        }
        Guard.RequireLength(labels.Length, rows, nameof(labels), "one label per row of inputs");
        for (int k = 0; k < inputs.Length; k++)
        {
            float v = inputs[k];
            if (!(v >= 0f && v <= 1f))
            {
                throw new ArgumentException($"inputs[{k / columns}, {k % columns}] is {v}; every input must be finite and in [0, 1].", nameof(inputs));
            }
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"labels[{i}] is {labels[i]}; labels must lie in [0, {classCount}).", nameof(labels));
            }
        }
        _inputs = inputs;
        _labels = labels;
        Count = rows;
        Dimension = columns;
        ClassCount = classCount;
    }

    /// <summary>A set over arrays the caller hands over (not copied), validated as by the public constructor.</summary>
    internal static ClassificationSet Own(float[] inputs, int rows, int columns, int[] labels, int classCount)
    {
        Guard.RequireLength(inputs.Length, rows * columns, nameof(inputs), "rows·columns");
        return new ClassificationSet(inputs, rows, columns, labels, classCount);
    }

    /// <summary>Number of examples n.</summary>
    public int Count { get; }

    /// <summary>Input dimension d (784 for 28 × 28 images).</summary>
    public int Dimension { get; }

    /// <summary>Number of classes; labels lie in [0, ClassCount).</summary>
    public int ClassCount { get; }

    /// <summary>The inputs X (n × d), every element in [0, 1].</summary>
    public ReadOnlyMatrixView<float> Inputs => new(_inputs, Count, Dimension);

    /// <summary>The labels y (length n).</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>How many examples each class has (length <see cref="ClassCount"/>).</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (int label in _labels)
        {
            counts[label]++;
        }
        return counts;
    }

    /// <summary>The examples at <paramref name="indices"/>, in that order (copied).</summary>
    /// <param name="indices">At least one index, each in [0, <see cref="Count"/>); repeats are allowed.</param>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public ClassificationSet Subset(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty)
        {
            throw new ArgumentException("A subset needs at least one index.", nameof(indices));
        }
        Guard.RequireAllBelow(indices, Count, nameof(indices));
        var inputs = new float[indices.Length * Dimension];
        var labels = new int[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            _inputs.AsSpan(indices[k] * Dimension, Dimension).CopyTo(inputs.AsSpan(k * Dimension, Dimension));
            labels[k] = _labels[indices[k]];
        }
        return new ClassificationSet(inputs, indices.Length, Dimension, labels, ClassCount);
    }

    private static float[] Copy(ReadOnlyMatrixView<float> inputs)
    {
        var copy = new float[inputs.Rows * inputs.Columns];
        for (int i = 0; i < inputs.Rows; i++)
        {
            inputs.Row(i).CopyTo(copy.AsSpan(i * inputs.Columns, inputs.Columns));
        }
        return copy;
    }
}
