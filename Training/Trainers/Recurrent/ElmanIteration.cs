namespace Kernels.Training.Trainers.Recurrent;

/// <summary>One step of an Elman trainer.</summary>
/// <param name="Iteration">The step's number, from 0.</param>
/// <param name="Loss">The loss f before the step on the sequences the step used (all N for gradient descent, the batch for SGD).</param>
/// <param name="FullLoss">The loss on all N sequences before the step: equal to <paramref name="Loss"/> for gradient
/// descent; for SGD when <see cref="ElmanSgdOptions.ReportFullLoss"/> is set, NaN otherwise.</param>
/// <param name="GradientNorm">‖∂f/∂W‖ (Frobenius) of the step.</param>
/// <param name="HiddenNorms">‖∂f/∂h_ℓ‖ for ℓ = 1..L over the step's sequences: whether gradients explode or vanish
/// through time. A view of the run's preallocated history, valid after the run.</param>
/// <param name="Elapsed">Time of the step (gradient and update).</param>
public readonly record struct ElmanIteration(int Iteration, double Loss, double FullLoss, double GradientNorm, ReadOnlyMemory<double> HiddenNorms, TimeSpan Elapsed);
