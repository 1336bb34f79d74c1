namespace Kernels.Training.Ntk;

/// <summary>The outcome of <see cref="SpectralError.Estimate{T}"/>.</summary>
/// <param name="Epsilon">ε = max(λ_max − 1, 1 − λ_min): (1 − ε)(K + λI) ≼ K̃ + λI ≼ (1 + ε)(K + λI).</param>
/// <param name="Smallest">λ_min of (K + λI)^(−1/2)(K̃ + λI)(K + λI)^(−1/2).</param>
/// <param name="Largest">λ_max of the same matrix.</param>
/// <param name="Iterations">Lanczos steps taken.</param>
/// <param name="Converged">Whether Lanczos met its tolerance.</param>
public readonly record struct SpectralErrorResult(double Epsilon, double Smallest, double Largest, int Iterations, bool Converged);
