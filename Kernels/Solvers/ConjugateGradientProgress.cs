namespace Kernels.Solvers;

/// <summary>The state reported to <see cref="ConjugateGradientOptions.Progress"/> after each iteration.</summary>
/// <param name="Iteration">The iteration just completed, from 1.</param>
/// <param name="ResidualNorm">‖r‖₂ of the updated (recurrence) residual.</param>
/// <param name="RelativeResidual">‖r‖₂ / ‖b‖₂.</param>
public readonly record struct ConjugateGradientProgress(int Iteration, double ResidualNorm, double RelativeResidual);
