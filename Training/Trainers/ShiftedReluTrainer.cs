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
    /// <exception cref="ArgumentException">The data's dimension differs from the model's.</exception>
    public TrainingResult<GaussNewtonIteration> Train(TwoLayerShiftedRelu model, RegressionSet data,
        IProgress<GaussNewtonIteration>? progress = null, CancellationToken cancellationToken = default)
    {
        ShiftedReluLoop.RequireCompatible(model, data);
        return ShiftedReluLoop.Run(model, data, () => CreateEngine(model, data, _settings.Blas), _settings, progress, cancellationToken);
    }

    /// <summary>Where this trainer's active sets come from.</summary>
    private protected abstract IActiveSetEngine CreateEngine(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? blas);
}
