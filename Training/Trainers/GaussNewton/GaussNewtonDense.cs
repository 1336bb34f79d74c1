using Kernels.Activations;
using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// Dense Gauss-Newton ([BPSW21], the baseline of seed 002): every iteration computes all m·n inner products
/// ⟨w_r, x_i⟩ to find the active sets Q_i = { r : ⟨w_r, x_i⟩ ≥ b }, solves G·g = f − y with G = J·Jᵀ, and updates
/// W ← W − Jᵀ·g. Its cost per iteration grows linearly in m: O(mnd) for the products.
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
public sealed class GaussNewtonDense : ShiftedReluTrainer
{
    /// <summary>A trainer with the given options (defaults when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public GaussNewtonDense(GaussNewtonOptions? options = null)
        : base(GaussNewtonOptions.Validated(options).ToLoopSettings())
    {
    }

    private protected override long EngineBytes(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? blas) => DenseActiveSets.Bytes(data.Count, data.Dimension);

    private protected override IActiveSetEngine CreateEngine(TwoLayerShiftedRelu model, RegressionSet data, BlasOptions? blas) =>
        new DenseEngine(model, data, blas);
}
