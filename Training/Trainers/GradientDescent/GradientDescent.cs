using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers.GaussNewton;

namespace Kernels.Training.Trainers.GradientDescent;

/// <summary>
/// Full-batch gradient descent on ½‖f − y‖², the first-order baseline: W ← W − η·Jᵀ(f − y), with the active sets
/// found densely each iteration. Reports use <see cref="GaussNewtonIteration"/>'s shape (status
/// <see cref="RegressionStatus.Solved"/>, or <see cref="RegressionStatus.Overflow"/> for a step too large for float, which
/// is not applied and ends the run with <see cref="StopReason.NonFinite"/>; no solve time).
/// </summary>
public sealed class GradientDescent : ShiftedReluTrainer
{
    /// <summary>A trainer with the given options (defaults when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public GradientDescent(GradientDescentOptions? options = null)
        : base(GradientDescentOptions.Validated(options).ToLoopSettings())
    {
    }

    private protected override long EngineBytes(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? blas) => DenseActiveSets.Bytes(data.Count, data.Dimension);

    private protected override IActiveSetEngine CreateEngine(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? blas) =>
        new DenseEngine(model, data, blas);
}
