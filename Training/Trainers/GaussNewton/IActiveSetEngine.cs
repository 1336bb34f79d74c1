using Kernels.Activations;
using Kernels.Blas;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>Where a shifted-ReLU trainer gets its active sets and how it writes its updates: the one thing that differs
/// between dense and sublinear Gauss-Newton. Every engine works on the model's own W, the one copy.</summary>
internal interface IActiveSetEngine
{
    /// <summary>Fills every Q_i = { r : ⟨w_r, x_i⟩ ≥ b } with its values.</summary>
    void Query(ActiveSets sets);

    /// <summary>Writes the new rows of <paramref name="step"/>'s changed neurons in place into the model's W, after its
    /// <see cref="GaussNewtonStep.PrepareUpdate"/> passed, and brings the engine's own state up to date with them.</summary>
    void Update(GaussNewtonStep step);
}
