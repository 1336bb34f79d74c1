using Kernels.Activations;
using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>Dense active sets (all m·n products each iteration) over the model's own W, updated in place.</summary>
internal sealed class DenseEngine(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? options) : IActiveSetEngine
{
    public void Query(ActiveSets sets) => DenseActiveSets.Refresh(model.Weights, data.Inputs, model.Shift, sets, options);

    public void Apply(ReadOnlySpan<int> neurons, ReadOnlyMatrixView<float> rows)
    {
        var weights = model.MutableWeights;
        for (int c = 0; c < neurons.Length; c++)
        {
            rows.Row(c).CopyTo(weights.Row(neurons[c]));
        }
    }
}
