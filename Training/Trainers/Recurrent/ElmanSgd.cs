using System.Numerics;
using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Training.Trainers.Recurrent;

/// <summary>
/// Mini-batch stochastic gradient descent on an <see cref="ElmanRnn{T}"/> (seed 003, Theorem 2): each step takes
/// ∂f/∂W on a batch of b sequences (f summed over the batch) and sets W ← W − η·∂f/∂W. Batches are drawn without
/// replacement within an epoch from <see cref="ElmanSgdOptions.Seed"/>, so a run is reproducible.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ElmanSgd<T> : ElmanTrainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ElmanSgdOptions _options;

    /// <summary>A trainer with the given options (defaults when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The checkpoint path is empty.</exception>
    public ElmanSgd(ElmanSgdOptions? options = null) : base(Validated(options)) => _options = (ElmanSgdOptions)Options;

    private static ElmanSgdOptions Validated(ElmanSgdOptions? options)
    {
        options ??= new ElmanSgdOptions();
        options.Validate();
        return options;
    }

    private protected override int BatchCount(SequenceSet<T> data) => Math.Min(_options.BatchSize, data.Count);

    private protected override void RequireBatch(SequenceSet<T> data)
    {
        if (_options.BatchSize > data.Count)
        {
            throw new ArgumentException($"The batch size {_options.BatchSize} exceeds the {data.Count} sequences of the data.", nameof(data));
        }
    }

    private protected override long ExtraBytes(ElmanRnn<T> model, SequenceSet<T> data) =>
        SequenceSet<T>.Bytes(_options.BatchSize, data.Length, data.InputDimension, data.OutputDimension) + (long)data.Count * (sizeof(int) + sizeof(uint))
        + (_options.ReportFullLoss ? ElmanRnnWorkspace<T>.Bytes(model.Hidden, model.OutputDimension, data.Count, data.Length) : 0);

    private protected override IElmanBatches<T> CreateBatches(SequenceSet<T> data) => new ShuffledBatches<T>(data, _options.BatchSize, _options.Seed);

    private protected override ElmanRnnWorkspace<T>? FullLossWorkspace(ElmanRnn<T> model, SequenceSet<T> data) =>
        _options.ReportFullLoss ? new ElmanRnnWorkspace<T>(model, data.Count, data.Length) : null;
}
