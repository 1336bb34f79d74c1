using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// Sublinear Gauss-Newton (seed 002, Algorithm 5): a <see cref="Kernels.Trees.ThresholdForest"/> over the
/// inner products answers each Q_i = { r : ⟨w_r, x_i⟩ ≥ b } in time proportional to |Q_i|, the step solves G·g = f − y
/// with G = J·Jᵀ formed from the active sets, and only the changed neurons ∪Q_i are rewritten and repaired in the
/// trees. Given the same model and data it takes the same steps as <see cref="GaussNewtonDense"/>.
/// </summary>
/// <remarks>
/// Each iteration is reported as a <see cref="GaussNewtonIteration"/>. The regression is solved as
/// <see cref="GaussNewtonOptions.Solver"/> says (<see cref="RegressionSolver.Exact"/> or <see cref="RegressionSolver.Sketched"/>).
/// A solve that fails (G not positive definite, a rank-deficient sketch, conjugate gradient short of its tolerance,
/// or a non-finite solution) is reported with its status, the step is not applied, and the run ends with
/// <see cref="StopReason.SolverFailed"/>; a finite solution whose new weights could overflow float is reported as
/// <see cref="RegressionStatus.Overflow"/>, not applied, and ends the run with <see cref="StopReason.NonFinite"/>. With either solver, after the first iteration a step allocates only when an
/// active set outgrows every earlier one.
/// </remarks>
public sealed class GaussNewtonSublinear : ShiftedReluTrainer
{
    /// <summary>A trainer with the given options (defaults when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public GaussNewtonSublinear(GaussNewtonOptions? options = null)
        : base(GaussNewtonOptions.Validated(options).ToLoopSettings())
    {
    }

    private protected override long EngineBytes(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? blas) => ForestEngine.Bytes(model, data, blas);

    private protected override IActiveSetEngine CreateEngine(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? blas) =>
        new ForestEngine(model, data, blas);
}
