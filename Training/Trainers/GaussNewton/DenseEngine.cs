using Kernels.Activations;
using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>Dense active sets (all m·n products each iteration) over the model's own W, updated in place.</summary>
internal sealed class DenseEngine(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? options) : IActiveSetEngine
{
    public void Query(ActiveSets sets) => DenseActiveSets.Refresh(model.Weights, data.Inputs, model.Shift, sets, options);

    /// <summary>Nothing to do: the dense products read W afresh each iteration.</summary>
    public void Apply(ReadOnlySpan<int> neurons)
    {
    }
}
