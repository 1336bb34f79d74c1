namespace Kernels.Solvers;

/// <summary>The outcome of <see cref="ConjugateGradient.Solve{T}"/>. The solution itself is in the caller's x.</summary>
/// <param name="Status">How the solve ended.</param>
/// <param name="Iterations">Iterations performed (operator applications, not counting the one for a <see cref="InitialGuess.FromX"/> start).</param>
/// <param name="ResidualNorm">‖r‖₂ of the final recurrence residual (it tracks b − A·x up to rounding).</param>
/// <param name="RelativeResidual">‖r‖₂ / ‖b‖₂ (0 when b = 0).</param>
/// <param name="ResidualHistory">‖r_k‖/‖b‖ for k = 0 … <paramref name="Iterations"/> when recording was requested; otherwise null.</param>
public readonly record struct ConjugateGradientResult(
    SolverStatus Status, int Iterations, double ResidualNorm, double RelativeResidual, IReadOnlyList<double>? ResidualHistory);
