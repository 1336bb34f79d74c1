using Kernels.Activations;
using Kernels.Blas;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>Where a shifted-ReLU trainer gets its active sets and how it writes its updates: the one thing that differs
/// between dense and sublinear Gauss-Newton. Every engine works on the model's own W, the one copy.</summary>
internal interface IActiveSetEngine
{
    /// <summary>Fills every Q_i = { r : ⟨w_r, x_i⟩ ≥ b } with its values.</summary>
    void Query(ActiveSets sets);

    /// <summary>Takes note that the rows <paramref name="neurons"/> (strictly ascending) of the model's W were just rewritten in place.</summary>
    void Apply(ReadOnlySpan<int> neurons);
}
