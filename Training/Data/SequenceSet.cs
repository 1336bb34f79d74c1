using System.Numerics;

namespace Kernels.Training.Data;

/// <summary>
/// N sequences of one length L for an Elman network: inputs x_{i,ℓ} ∈ ℝ^{d_x} for ℓ = 1..L and targets
/// y*_{i,ℓ} ∈ ℝ^d for ℓ = 2..L (the loss of seed 003 starts at ℓ = 2, so step 1 has no target).
/// </summary>
/// <remarks>
/// <para>Stored time-major, as the network consumes it: row ℓ·N + i of <see cref="Inputs"/> ((L·N) × d_x) is
/// x_{i,ℓ+1}, and row (ℓ − 2)·N + i of <see cref="Targets"/> (((L − 1)·N) × d) is y*_{i,ℓ} — so the input projection of
/// all steps is one Gemm, and the N rows of one step are contiguous.</para>
/// <para>Everything is copied and validated at construction: equal lengths (no ragged sequences), equal dimensions,
/// finite values. A set is immutable afterwards.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class SequenceSet<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _inputs;
    private readonly T[] _targets;

    /// <summary>Copies and validates N sequences.</summary>
    /// <param name="inputs">One L × d_x matrix per sequence (row ℓ − 1 is x_ℓ); N ≥ 1, L ≥ 2, d_x ≥ 1, all of one shape, finite.</param>
    /// <param name="targets">One (L − 1) × d matrix per sequence (row ℓ − 2 is y*_ℓ, ℓ = 2..L); d ≥ 1, finite.</param>
    /// <exception cref="ArgumentNullException">A list or one of its matrices is null.</exception>
    /// <exception cref="ArgumentException">The lists are empty or of different lengths, a sequence has another length or
    /// dimension than the first (ragged), L &lt; 2, a dimension is 0, or a value is NaN or infinite; the message names
    /// the sequence and the expected shape.</exception>
    public SequenceSet(IReadOnlyList<Matrix<T>> inputs, IReadOnlyList<Matrix<T>> targets)
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("A sequence set needs at least one sequence.", nameof(inputs));
        }
        Guard.RequireLength(targets.Count, inputs.Count, nameof(targets), "one target matrix per input sequence");
        ArgumentNullException.ThrowIfNull(inputs[0], "inputs[0]");
        ArgumentNullException.ThrowIfNull(targets[0], "targets[0]");
        int length = inputs[0].Rows, inputDimension = inputs[0].Columns, outputDimension = targets[0].Columns;
        if (length < 2)
        {
            throw new ArgumentException($"inputs[0] has {length} steps; the loss sums over steps ℓ = 2..L, so L must be at least 2.", nameof(inputs));
        }
        if (inputDimension < 1 || outputDimension < 1)
        {
            throw new ArgumentException($"The input dimension ({inputDimension}) and target dimension ({outputDimension}) must be at least 1.", nameof(inputs));
        }
        int count = inputs.Count;
        for (int i = 0; i < count; i++)
        {
            ArgumentNullException.ThrowIfNull(inputs[i], $"inputs[{i}]");
            ArgumentNullException.ThrowIfNull(targets[i], $"targets[{i}]");
            if (inputs[i].Rows != length || inputs[i].Columns != inputDimension)
            {
                throw new ArgumentException(
                    $"inputs[{i}] is {inputs[i].Rows}×{inputs[i].Columns}; every sequence must be {length}×{inputDimension} like inputs[0] (no ragged lengths).", nameof(inputs));
            }
            if (targets[i].Rows != length - 1 || targets[i].Columns != outputDimension)
            {
                throw new ArgumentException(
                    $"targets[{i}] is {targets[i].Rows}×{targets[i].Columns}; it must be {length - 1}×{outputDimension} (one target per step ℓ = 2..{length}).", nameof(targets));
            }
            RequireFinite(inputs[i].AsSpan(), inputDimension, $"inputs[{i}]", nameof(inputs));
            RequireFinite(targets[i].AsSpan(), outputDimension, $"targets[{i}]", nameof(targets));
        }
        Count = count;
        Length = length;
        InputDimension = inputDimension;
        OutputDimension = outputDimension;
        _inputs = new T[(long)length * count * inputDimension];
        _targets = new T[(long)(length - 1) * count * outputDimension];
        for (int i = 0; i < count; i++)
        {
            for (int step = 0; step < length; step++)
            {
                inputs[i].Row(step).CopyTo(_inputs.AsSpan((step * count + i) * inputDimension, inputDimension));
                if (step > 0)
                {
                    targets[i].Row(step - 1).CopyTo(_targets.AsSpan(((step - 1) * count + i) * outputDimension, outputDimension));
                }
            }
        }
    }

    /// <summary>An empty set of the given shape for <see cref="CopySequences"/> to fill (a mini-batch).</summary>
    private SequenceSet(int count, int length, int inputDimension, int outputDimension)
    {
        Count = count;
        Length = length;
        InputDimension = inputDimension;
        OutputDimension = outputDimension;
        _inputs = new T[(long)length * count * inputDimension];
        _targets = new T[(long)(length - 1) * count * outputDimension];
    }

    /// <summary>Number of sequences N.</summary>
    public int Count { get; }

    /// <summary>Steps per sequence L ≥ 2.</summary>
    public int Length { get; }

    /// <summary>Input dimension d_x.</summary>
    public int InputDimension { get; }

    /// <summary>Target dimension d.</summary>
    public int OutputDimension { get; }

    /// <summary>All inputs, time-major: (L·N) × d_x, row ℓ·N + i is step ℓ + 1 of sequence i.</summary>
    public ReadOnlyMatrixView<T> Inputs => new(_inputs, Length * Count, InputDimension);

    /// <summary>All targets, time-major: ((L − 1)·N) × d, row (ℓ − 2)·N + i is y*_{i,ℓ} for ℓ = 2..L.</summary>
    public ReadOnlyMatrixView<T> Targets => new(_targets, (Length - 1) * Count, OutputDimension);

    /// <summary>The inputs of step ℓ (1-based) of all sequences, N × d_x.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is not in 1..L.</exception>
    public ReadOnlyMatrixView<T> InputsAt(int step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(step, Length);
        return new(_inputs.AsSpan((step - 1) * Count * InputDimension, Count * InputDimension), Count, InputDimension);
    }

    /// <summary>Bytes the inputs and targets of a set of this shape take.</summary>
    internal static long Bytes(int count, int length, int inputDimension, int outputDimension) =>
        ((long)length * count * inputDimension + (long)(length - 1) * count * outputDimension) * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    /// <summary>An uninitialized set of <paramref name="count"/> sequences of this set's shape, for mini-batches.</summary>
    internal SequenceSet<T> EmptyBatch(int count) => new(count, Length, InputDimension, OutputDimension);

    /// <summary>Copies the sequences <paramref name="indices"/> of this set, in that order, into <paramref name="batch"/>
    /// (a set from <see cref="EmptyBatch"/> with indices.Length sequences). Allocates nothing.</summary>
    internal void CopySequences(ReadOnlySpan<int> indices, SequenceSet<T> batch)
    {
        int b = batch.Count;
        for (int step = 0; step < Length; step++)
        {
            for (int k = 0; k < b; k++)
            {
                _inputs.AsSpan((step * Count + indices[k]) * InputDimension, InputDimension)
                    .CopyTo(batch._inputs.AsSpan((step * b + k) * InputDimension, InputDimension));
                if (step > 0)
                {
                    _targets.AsSpan(((step - 1) * Count + indices[k]) * OutputDimension, OutputDimension)
                        .CopyTo(batch._targets.AsSpan(((step - 1) * b + k) * OutputDimension, OutputDimension));
                }
            }
        }
    }

    private static void RequireFinite(ReadOnlySpan<T> values, int columns, string what, string name)
    {
        for (int k = 0; k < values.Length; k++)
        {
            if (!T.IsFinite(values[k]))
            {
                throw new ArgumentException($"{what}[{k / columns}, {k % columns}] is {values[k]}; every value must be finite.", name);
            }
        }
    }
}
