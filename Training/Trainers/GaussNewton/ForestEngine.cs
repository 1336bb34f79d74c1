using Kernels.Activations;
using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Trees;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// Sublinear active sets: a <see cref="ThresholdForest"/> over the inner products, queried with b, and repaired only
/// for the neurons a step changes. The forest borrows the model's W (<see cref="ThresholdForest.Borrow"/>), so W exists
/// once: the forest rewrites each changed row in place with the step's new row as it refreshes the row's leaves
/// (<see cref="Update"/>), before any query. Nothing else writes W while the engine lives.
/// </summary>
internal sealed class ForestEngine(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? options) : IActiveSetEngine
{
    private readonly ThresholdForest _forest = ThresholdForest.Borrow(model.WeightStorage, model.Width, data.Inputs, ForestLayout.Wide, options);

    /// <summary>
    /// What the forest adds to the model (<see cref="ThresholdForest.EstimateBytes"/>): n wide trees of about m·16/15
    /// floats each, its copies of X, and the scratch of its updates; W is the model's.
    /// </summary>
    public static long Bytes(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? options) =>
        ThresholdForest.EstimateBytes(model.Width, data.Count, data.Dimension, ForestLayout.Wide, borrowsWeights: true, options);

    public void Query(ActiveSets sets) => _forest.QueryAll(model.Shift, sets);

    /// <summary>The forest writes each changed row (<see cref="GaussNewtonStep.NewRows"/>) while it gathers the row for its
    /// leaves, and repairs its trees (<see cref="ThresholdForest.Rewrite{TRewriter}"/>): the rows are read from memory once.</summary>
    public void Update(GaussNewtonStep step) => _forest.Rewrite(step.Changed, step.NewRows);
}
