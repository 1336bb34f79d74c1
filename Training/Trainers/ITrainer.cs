namespace Kernels.Training.Trainers;

/// <summary>
/// The one loop shape of every trainer in this library: it takes a model, data and its validated options (given at
/// construction), trains the model in place, reports each iteration through <see cref="IProgress{T}"/>, and stops
/// between iterations when the token is cancelled.
/// </summary>
/// <typeparam name="TModel">The model it trains (changed in place).</typeparam>
/// <typeparam name="TData">The training data.</typeparam>
/// <typeparam name="TReport">The per-iteration report: the loss, the quantities the paper's theorem is about, and a time breakdown.</typeparam>
public interface ITrainer<in TModel, in TData, TReport> where TReport : struct
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="data"/>.</summary>
    /// <param name="model">Trained in place; after a cancelled or failed run it holds the weights of the last completed iteration.</param>
    /// <param name="data">The training data, validated against the model before anything changes.</param>
    /// <param name="progress">Receives each iteration's report as soon as the iteration completes; may be null.</param>
    /// <param name="cancellationToken">Checked between iterations; cancellation ends the run with <see cref="StopReason.Cancelled"/> (no exception).</param>
    TrainingResult<TReport> Train(TModel model, TData data, IProgress<TReport>? progress = null, CancellationToken cancellationToken = default);
}
