using Kernels.Activations;
using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>Dense active sets (all m·n products each iteration) over the model's own W, updated in place.</summary>
internal sealed class DenseEngine(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? options) : IActiveSetEngine
{
    public void Query(ActiveSets sets) => DenseActiveSets.Refresh(model.Weights, data.Inputs, model.Shift, sets, options);

    /// <summary>The new rows alone: the dense products read W afresh each iteration.</summary>
    public void Update(GaussNewtonStep step) => step.ComputeNewRows(options);
}
