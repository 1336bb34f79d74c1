using Kernels.Activations;
using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Trees;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// Sublinear active sets: a <see cref="ThresholdForest"/> over the inner products, queried with b, and repaired only
/// for the neurons a step changes. While training, the forest's W is the one being updated; <see cref="Finish"/>
/// copies it back into the model.
/// </summary>
internal sealed class ForestEngine(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? options) : IActiveSetEngine
{
    private readonly ThresholdForest _forest = new(model.Weights, data.Inputs, ForestLayout.Wide, options);

    public ReadOnlyMatrixView<float> Weights => _forest.Weights;

    /// <summary>
    /// What the forest takes: its copy of W (m·d floats) and of X, and n wide trees of about m·16/15 floats each (plus
    /// up to 15 padding floats per level, counted as 16 per tree level of which there are at most 8 below 2³¹).
    /// </summary>
    public static long Bytes(TwoLayerShiftedRelu model, RegressionSet data) =>
        TwoLayerShiftedRelu.WeightBytes(model.Width, model.Dimension) + (long)data.Count * data.Dimension * sizeof(float)
        + (long)data.Count * ((long)model.Width * 16 / 15 + 8 * 16) * sizeof(float);

    public void Query(ActiveSets sets) => _forest.QueryAll(model.Shift, sets);

    public void Apply(ReadOnlySpan<int> neurons, ReadOnlyMatrixView<float> rows) => _forest.UpdateMany(neurons, rows);

    public void Finish()
    {
        var source = _forest.Weights;
        var target = model.MutableWeights;
        for (int r = 0; r < model.Width; r++)
        {
            source.Row(r).CopyTo(target.Row(r));
        }
    }
}
