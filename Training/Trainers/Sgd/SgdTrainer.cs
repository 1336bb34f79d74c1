using System.Diagnostics;
using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Training.Trainers.Sgd;

/// <summary>
/// Minibatch SGD with momentum for an <see cref="Mlp"/> classifier (seed 001's training): each epoch shuffles the
/// training set, and each batch runs forward with dropout on the hidden units, softmax cross-entropy, backward, and
/// v ← μ·v + g, w ← w − η_e·v on every layer's real weights and biases (a hashed layer's buckets receive the
/// scatter-added gradient). η_e = η₀·decayᵉ. One report per epoch.
/// </summary>
/// <remarks>
/// Seeded and deterministic: the shuffle of epoch e is stream e of <c>Derive(options.Seed, Purpose("shuffle"))</c>, the
/// dropout masks of step t come from <c>Derive(options.Seed, Purpose("dropout"))</c>, and every kernel returns the same bits
/// for any thread count, so a run is reproduced exactly. After the first step a step allocates nothing (the buffers are
/// allocated when training starts; the evaluation after each epoch allocates its own).
/// </remarks>
public sealed class SgdTrainer : ITrainer<Mlp, ClassificationSet, SgdEpoch>
{
    private readonly SgdOptions _options;
    private readonly ClassificationSet? _evaluation;

    /// <summary>A trainer with validated <paramref name="options"/> (the defaults when null), reporting the error on <paramref name="evaluation"/> after each epoch when given.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SgdTrainer(SgdOptions? options = null, ClassificationSet? evaluation = null)
    {
        _options = options ?? new SgdOptions();
        _options.Validate();
        _evaluation = evaluation;
    }

    /// <summary>The validated options.</summary>
    public SgdOptions Options => _options;

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The data's (or the evaluation set's) dimension or class count differs from the model's,
    /// or the training buffers (<see cref="WorkspaceBytes"/>) would not fit; the message gives the estimate in bytes.</exception>
    public TrainingResult<SgdEpoch> Train(Mlp model, ClassificationSet data, IProgress<SgdEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.RequireCompatible(data, nameof(data));
        if (_evaluation is not null)
        {
            model.RequireCompatible(_evaluation, "evaluation");
        }
        RequireFits(model, data);
        var setup = Stopwatch.StartNew();
        var run = new SgdRun(model, data, _options);
        setup.Stop();
        var reports = new List<SgdEpoch>(_options.Epochs);
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            float rate = (float)_options.LearningRateAt(epoch);
            var clock = Stopwatch.StartNew();
            run.Shuffle(epoch);
            double loss = 0;
            long errors = 0;
            int samples = 0;
            for (int batch = 0; batch < run.BatchesPerEpoch; batch++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return new TrainingResult<SgdEpoch>(reports, StopReason.Cancelled, setup.Elapsed);
                }
                var (batchLoss, batchErrors, rows) = run.Step(batch, rate);
                loss += batchLoss;
                errors += batchErrors;
                samples += rows;
            }
            clock.Stop();
            double evaluationError = _evaluation is null ? double.NaN : model.ErrorRate(_evaluation, _options.Blas);
            var report = new SgdEpoch(epoch + 1, rate, loss / samples, (double)errors / samples, evaluationError, samples, clock.Elapsed);
            reports.Add(report);
            progress?.Report(report);
        }
        return new TrainingResult<SgdEpoch>(reports, StopReason.MaxIterations, setup.Elapsed);
    }

    /// <summary>
    /// Bytes the trainer allocates besides the model and the data, estimated before training starts: one momentum value
    /// per parameter; per layer of width w, a batch's outputs and their gradient, and per hidden layer its activations,
    /// dropout draws and their gradient (5·batch·w floats); the softmax buffers; the epoch's order and shuffle draws (8 bytes
    /// per example) and a copy of one batch's inputs and labels; and, with an evaluation set, the inference buffers of
    /// <see cref="Mlp.ErrorRate"/> (blocks of 500 rows) and its predicted classes. Gemm's pack buffers (native memory, a
    /// few hundred KiB per thread) are not counted.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="data"/> is null.</exception>
    public long WorkspaceBytes(Mlp model, ClassificationSet data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        int batch = BatchRows(data);
        long bytes = MlpWorkspace.Bytes(model, batch, training: true)
            + (long)data.Count * (sizeof(int) + sizeof(uint))
            + (long)batch * (data.Dimension * sizeof(float) + sizeof(int));
        if (_evaluation is not null)
        {
            bytes += MlpWorkspace.Bytes(model, EvaluationRows(_evaluation), training: false) + (long)_evaluation.Count * sizeof(int);
        }
        return bytes;
    }

    /// <summary>Throws, before anything is allocated, when the training buffers exceed the memory available or one of them exceeds the largest array.</summary>
    private void RequireFits(Mlp model, ClassificationSet data)
    {
        long needed = WorkspaceBytes(model, data);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        int batch = BatchRows(data);
        long largest = Math.Max(MlpWorkspace.LargestBuffer(model, batch), (long)batch * data.Dimension);
        if (needed > available || largest > Array.MaxLength)
        {
            throw new ArgumentException(
                $"Training this {model.ParameterCount:N0}-parameter model with batches of {batch} needs about {needed:N0} bytes of buffers " +
                $"({(largest > Array.MaxLength ? $"one of {largest:N0} elements, more than an array holds" : $"more than the {available:N0} bytes available to this process")}); nothing was changed.",
                nameof(data));
        }
    }

    private int BatchRows(ClassificationSet data) => Math.Min(_options.BatchSize, data.Count);

    private static int EvaluationRows(ClassificationSet set) => Math.Min(Mlp.InferenceBlock, Math.Max(1, set.Count));
}
