using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// Dense Gauss-Newton ([BPSW21], the baseline of seed 002): every iteration computes all m·n inner products
/// ⟨w_r, x_i⟩ to find the active sets Q_i = { r : ⟨w_r, x_i⟩ ≥ b }, solves G·g = f − y with G = J·Jᵀ, and updates
/// W ← W − Jᵀ·g. Its cost per iteration grows linearly in m: O(mnd) for the products.
/// </summary>
/// <remarks>
/// Each iteration is reported as a <see cref="GaussNewtonIteration"/>. A solve that fails (G not positive definite,
/// or a non-finite solution) is reported with its status, the step is not applied, and the run ends with
/// <see cref="StopReason.SolverFailed"/>. After the first iteration a step allocates only when an active set
/// outgrows every earlier one.
/// </remarks>
public sealed class GaussNewtonDense : ITrainer<TwoLayerShiftedRelu, RegressionSet, GaussNewtonIteration>
{
    private readonly GaussNewtonOptions _options;

    /// <summary>A trainer with the given options (defaults when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public GaussNewtonDense(GaussNewtonOptions? options = null)
    {
        _options = options ?? new GaussNewtonOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The data's dimension differs from the model's.</exception>
    public TrainingResult<GaussNewtonIteration> Train(TwoLayerShiftedRelu model, RegressionSet data,
        IProgress<GaussNewtonIteration>? progress = null, CancellationToken cancellationToken = default)
    {
        ShiftedReluLoop.RequireCompatible(model, data);
        return ShiftedReluLoop.Run(model, data, () => new DenseEngine(model, data, _options.Blas), _options.MaxIterations,
            _options.ResidualTolerance, stepSize: null, _options.Blas, progress, cancellationToken);
    }
}
