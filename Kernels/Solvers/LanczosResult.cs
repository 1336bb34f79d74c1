namespace Kernels.Solvers;

/// <summary>The outcome of <see cref="Lanczos.ExtremeEigenvalues{T}"/>: the extreme Ritz values and their residual bounds.</summary>
/// <param name="Smallest">The smallest Ritz value, an upper bound on λ_min that approaches it.</param>
/// <param name="Largest">The largest Ritz value, a lower bound on λ_max that approaches it.</param>
/// <param name="SmallestResidual">‖A·v − θ·v‖ of the smallest Ritz pair: some eigenvalue lies within it of <paramref name="Smallest"/>.</param>
/// <param name="LargestResidual">The same for the largest Ritz pair.</param>
/// <param name="Iterations">Lanczos steps taken (operator applications).</param>
/// <param name="Converged">True when both residuals met the tolerance or the Krylov space filled the whole space.</param>
public readonly record struct LanczosResult(
    double Smallest, double Largest, double SmallestResidual, double LargestResidual, int Iterations, bool Converged);
