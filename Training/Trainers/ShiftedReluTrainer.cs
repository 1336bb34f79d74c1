using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers.GaussNewton;

namespace Kernels.Training.Trainers;

/// <summary>
/// What every trainer of a <see cref="TwoLayerShiftedRelu"/> shares: the data is checked against the model, then one
/// loop evaluates from the active sets, takes a step, writes the changed rows, queries again and reports. A trainer
/// differs only in where its active sets come from and in its step (a Gauss-Newton solve or a gradient step).
/// </summary>
public abstract class ShiftedReluTrainer : ITrainer<TwoLayerShiftedRelu, RegressionSet, GaussNewtonIteration>
{
    private readonly ShiftedReluLoop.Settings _settings;

    /// <summary>A trainer that runs the loop with validated <paramref name="settings"/>.</summary>
    private protected ShiftedReluTrainer(ShiftedReluLoop.Settings settings) => _settings = settings;

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The data's dimension differs from the model's, or the training workspace
    /// (<see cref="WorkspaceBytes"/>) would not fit in the memory available; the message gives the estimate in bytes.</exception>
    public TrainingResult<GaussNewtonIteration> Train(TwoLayerShiftedRelu model, RegressionSet data,
        IProgress<GaussNewtonIteration>? progress = null, CancellationToken cancellationToken = default)
    {
        ShiftedReluLoop.RequireCompatible(model, data);
        long needed = WorkspaceBytes(model, data);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (needed > available)
        {
            throw new ArgumentException(
                $"Training this {model.Width}-neuron model on {data.Count} points needs a workspace of about {needed:N0} bytes " +
                $"({GetType().Name}), more than the {available:N0} bytes available to this process; nothing was changed.", nameof(model));
        }
        return ShiftedReluLoop.Run(model, data, () => CreateEngine(model, data, _settings.Blas), _settings, progress, cancellationToken);
    }

    /// <summary>
    /// Bytes the trainer allocates besides the model itself, estimated before training starts: the shared step's
    /// point masks of the changed neurons (up to m·⌈n/64⌉·8), its list of changed neurons (up to m), the bitmap of their
    /// union (m/8 + m/16); with <see cref="GaussNewton.RegressionSolver.Sketched"/>, the
    /// sketched solver's storage at its largest (the s·n sketch, its copy and QR, the sketch's partial sums of up to 8·s·n
    /// doubles, X in double and P's arrays of up to 1.5·n·m entries); and what the trainer's active-set source needs
    /// (<see cref="EngineBytes"/>; every source works on the model's W).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="data"/> is null.</exception>
    public long WorkspaceBytes(TwoLayerShiftedRelu model, RegressionSet data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        return GaussNewtonStep.Bytes(model, data, _settings.Sketched) + EngineBytes(model, data, _settings.Blas);
    }

    /// <summary>Bytes this trainer's active-set source allocates for <paramref name="model"/> on <paramref name="data"/>.</summary>
    private protected abstract long EngineBytes(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? blas);

    /// <summary>Where this trainer's active sets come from.</summary>
    private protected abstract IActiveSetEngine CreateEngine(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? blas);
}
