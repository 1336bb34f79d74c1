using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers.GaussNewton;

namespace Kernels.Training.Trainers.GradientDescent;

/// <summary>
/// Full-batch gradient descent on ½‖f − y‖², the first-order baseline: W ← W − η·Jᵀ(f − y), with the active sets
/// found densely each iteration. Reports use <see cref="GaussNewtonIteration"/>'s shape (status always
/// <see cref="RegressionStatus.Solved"/>, no solve time).
/// </summary>
public sealed class GradientDescent : ITrainer<TwoLayerShiftedRelu, RegressionSet, GaussNewtonIteration>
{
    private readonly GradientDescentOptions _options;

    /// <summary>A trainer with the given options (defaults when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public GradientDescent(GradientDescentOptions? options = null)
    {
        _options = options ?? new GradientDescentOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The data's dimension differs from the model's.</exception>
    public TrainingResult<GaussNewtonIteration> Train(TwoLayerShiftedRelu model, RegressionSet data,
        IProgress<GaussNewtonIteration>? progress = null, CancellationToken cancellationToken = default)
    {
        ShiftedReluLoop.RequireCompatible(model, data);
        return ShiftedReluLoop.Run(model, data, () => new DenseEngine(model, data, _options.Blas), _options.MaxIterations,
            _options.ResidualTolerance, _options.StepSize, _options.Blas, progress, cancellationToken);
    }
}
