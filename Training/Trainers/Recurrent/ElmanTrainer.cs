using System.Diagnostics;
using System.Numerics;
using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Training.Trainers.Recurrent;

/// <summary>
/// What both Elman trainers share: the data is checked against the model, the workspaces are sized (and refused, with
/// their size in bytes, when they will not fit), then each step takes the loss and gradient of its sequences by BPTT,
/// reports them, and moves the trained weights by −η·gradient — unless the loss, the gradient or a new weight is not
/// finite, in which case the run stops with <see cref="StopReason.NonFinite"/> and nothing is written.
/// </summary>
/// <remarks>After the first step a step allocates nothing (given a progress sink that does not, and but for the steps that
/// save a checkpoint), threaded or not: the
/// reports' list and the per-step norms are allocated for <see cref="ElmanTrainerOptions.MaxIterations"/> steps up front.</remarks>
/// <typeparam name="T">float or double.</typeparam>
public abstract class ElmanTrainer<T> : ITrainer<ElmanRnn<T>, SequenceSet<T>, ElmanIteration> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ElmanTrainerOptions _options;

    /// <summary>A trainer with validated options.</summary>
    private protected ElmanTrainer(ElmanTrainerOptions options) => _options = options;

    /// <summary>The validated options this trainer was made with.</summary>
    private protected ElmanTrainerOptions Options => _options;

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The data's dimensions differ from the model's, the batch is larger than the
    /// data, or the workspace (<see cref="WorkspaceBytes"/>) would not fit; the message gives the estimate in bytes.</exception>
    public TrainingResult<ElmanIteration> Train(ElmanRnn<T> model, SequenceSet<T> data, IProgress<ElmanIteration>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputDimension != model.InputDimension || data.OutputDimension != model.OutputDimension)
        {
            throw new ArgumentException(
                $"The sequences have d_x = {data.InputDimension}, d = {data.OutputDimension}; the model takes d_x = {model.InputDimension} and outputs d = {model.OutputDimension}.", nameof(data));
        }
        RequireBatch(data);
        long needed = WorkspaceBytes(model, data);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (needed > available)
        {
            throw new ArgumentException(
                $"Training on {data.Count} sequences of {data.Length} steps at width {model.Hidden} needs a workspace of about {needed:N0} bytes " +
                $"({GetType().Name}), more than the {available:N0} bytes available to this process; nothing was changed.", nameof(data));
        }
        long setupStart = Stopwatch.GetTimestamp();
        var batches = CreateBatches(data);
        var workspace = new ElmanRnnWorkspace<T>(model, batches.Count, data.Length);
        var gradient = new ElmanRnnGradient<T>(model, data.Length, _options.TrainInput, _options.TrainOutput);
        var full = FullLossWorkspace(model, data);
        var history = new double[(long)_options.MaxIterations * data.Length];
        var reports = new List<ElmanIteration>(_options.MaxIterations);
        var setup = Stopwatch.GetElapsedTime(setupStart);
        var reason = StopReason.MaxIterations;
        var blas = _options.Blas;
        T eta = T.CreateChecked(_options.StepSize);
        for (int t = 0; t < _options.MaxIterations; t++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                reason = StopReason.Cancelled;
                break;
            }
            long start = Stopwatch.GetTimestamp();
            var batch = batches.Next(t);
            double loss = model.Gradient(batch, workspace, gradient, blas);
            double fullLoss = full is null ? (ReferenceEquals(batch, data) ? loss : double.NaN) : model.Loss(data, full, blas);
            double gradientNorm = double.CreateChecked(Level1.Nrm2<T>(gradient.Recurrent.AsSpan()));
            var norms = history.AsMemory(t * data.Length, data.Length);
            gradient.HiddenNorms.CopyTo(norms.Span);
            bool finite = double.IsFinite(loss) && double.IsFinite(gradientNorm) && Step(model, gradient, eta);
            var report = new ElmanIteration(t, loss, fullLoss, gradientNorm, norms, Stopwatch.GetElapsedTime(start));
            reports.Add(report);
            progress?.Report(report);
            if (!finite)
            {
                reason = StopReason.NonFinite;
                break;
            }
            if (loss <= _options.LossTolerance)
            {
                reason = StopReason.Converged;
                break;
            }
            if (_options.CheckpointPath is { } path && (t + 1) % _options.CheckpointEvery == 0)
            {
                model.SaveCheckpoint(path);
            }
        }
        if (_options.CheckpointPath is { } last)
        {
            model.SaveCheckpoint(last);
        }
        return new TrainingResult<ElmanIteration>(reports, reason, setup);
    }

    /// <summary>
    /// Bytes the trainer allocates besides the model and data: the activations of a step's sequences
    /// (<see cref="ElmanRnnWorkspace{T}.Bytes"/>), the gradients of the trained weights, the per-step norm history
    /// (MaxIterations·L doubles) and what the trainer adds (a mini-batch copy, a full-loss workspace).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="data"/> is null.</exception>
    public long WorkspaceBytes(ElmanRnn<T> model, SequenceSet<T> data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        long element = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        int m = model.Hidden;
        long gradients = ((long)m * m + (_options.TrainInput ? (long)m * model.InputDimension : 0) + (_options.TrainOutput ? (long)model.OutputDimension * m : 0)) * element;
        return ElmanRnnWorkspace<T>.Bytes(m, model.OutputDimension, BatchCount(data), data.Length) + gradients
            + (long)_options.MaxIterations * data.Length * sizeof(double) + ExtraBytes(model, data);
    }

    /// <summary>Sequences per step for <paramref name="data"/>.</summary>
    private protected abstract int BatchCount(SequenceSet<T> data);

    /// <summary>Throws if the batch cannot be drawn from <paramref name="data"/>.</summary>
    private protected virtual void RequireBatch(SequenceSet<T> data)
    {
    }

    /// <summary>Bytes this trainer allocates besides the shared workspace.</summary>
    private protected virtual long ExtraBytes(ElmanRnn<T> model, SequenceSet<T> data) => 0;

    /// <summary>Where this trainer's steps take their sequences from.</summary>
    private protected abstract IElmanBatches<T> CreateBatches(SequenceSet<T> data);

    /// <summary>A workspace for the loss on all sequences, when the trainer reports it separately; null otherwise.</summary>
    private protected virtual ElmanRnnWorkspace<T>? FullLossWorkspace(ElmanRnn<T> model, SequenceSet<T> data) => null;

    /// <summary>
    /// θ ← θ − η·∂f/∂θ for every trained matrix, all or nothing: each new matrix is formed in its gradient's buffer,
    /// checked finite, and only when all are finite copied over the weights.
    /// </summary>
    /// <returns>False (nothing written) when a new weight would be NaN or infinite.</returns>
    private static bool Step(ElmanRnn<T> model, ElmanRnnGradient<T> gradient, T eta)
    {
        if (!Propose(model.MutableRecurrent, gradient.Recurrent, eta)
            || (gradient.Input is { } input && !Propose(model.MutableInput, input, eta))
            || (gradient.Output is { } output && !Propose(model.MutableOutput, output, eta)))
        {
            return false;
        }
        gradient.Recurrent.AsSpan().CopyTo(model.MutableRecurrent.AsSpan());
        gradient.Input?.AsSpan().CopyTo(model.MutableInput.AsSpan());
        gradient.Output?.AsSpan().CopyTo(model.MutableOutput.AsSpan());
        return true;
    }

    /// <summary>gradient ← weights − η·gradient; true when every element is finite.</summary>
    private static bool Propose(Matrix<T> weights, Matrix<T> gradient, T eta)
    {
        var g = gradient.AsSpan();
        Level1.Scale(-eta, g);
        Level1.Axpy(T.One, weights.AsSpan(), g);
        return T.IsFinite(Level1.MaxMagnitude<T>(g));
    }
}
